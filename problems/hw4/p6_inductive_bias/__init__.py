"""Problem 6 (inductive bias of CNNs): data, models and training the grader owns."""
