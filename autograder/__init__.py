"""Autograder for Homework 4 and Discussion 4: one engine behind Gradescope, the student check and TA batch runs."""

__version__ = "0.1.0"
