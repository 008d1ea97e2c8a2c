"""Only part of the file was filled in; p1b and p1b_fn are not defined at all."""
p1a = "2 c d_out^2 d_in"
