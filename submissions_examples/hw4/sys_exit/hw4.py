import sys
p1a = "2 c d_out^2 d_in"
sys.exit(0)
p1b = "2 c d_in^2 d_out"
