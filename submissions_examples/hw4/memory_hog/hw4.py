p1a = "2 c d_out^2 d_in"
p1b = "2 c d_in^2 d_out"
hog = bytearray(8 * 2**30)
