p1a = "2 c d_out^2 d_in"
while True:
    pass
