import numpy as np
p1a = 42.0 + 1j        # a complex number
p1b = ["2", "c", "d_in^2", "d_out"]
p1b_fn = np.eye(3)
p1b_explain = {"not": "text"}
