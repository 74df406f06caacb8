"""Lesson 1 (the derivative): typical wrong answers and correct alternatives."""

from tests.answers import Wrong

WRONG = {
    "yearly_growth": [
        Wrong("return sales[:-1] - sales[1:]", "wrong sign"),
        Wrong("return sales[1:] - sales[0]", "Compare each year with the year just before it"),
        Wrong("return np.diff(sales)[1:]", "One element too many or too few"),
        Wrong("return sales[1:] / sales[:-1]", "not a ratio"),
        Wrong("sales[1:] - sales[:-1]", "forget the `return` statement"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        Wrong("growth = np.zeros(len(sales) - 1, dtype=int)\nfor i in range(len(growth)):\n"
              "    growth[i] = sales[i + 1] - sales[i]\nreturn growth", "keep them as floats"),
        Wrong("sales[1:] -= sales[:-1].copy()\nreturn sales[1:]", "changed the sales it was given"),
    ],
    "average_rate": [
        Wrong("return f(b) - f(a)", "did not divide by the length of the interval"),
        Wrong("return (f(b) - f(a)) / b", "not by b alone"),
        Wrong("return (f(a) - f(b)) / (b - a)", "wrong sign"),
        # 32 for 32.5 is also round(32.5): not evidence of // (issue 11, point 5)
        Wrong("return (f(b) - f(a)) // (b - a)", "The value is off by 0.5"),
    ],
    "forward_difference": [
        Wrong("return f(x + h) - f(x)", "forgot to divide by h"),
        # 30 for 30.005 is also 30.005 rounded: not evidence of the central difference
        Wrong("return (f(x + h) - f(x - h)) / (2 * h)", "The value is off by 0.005"),
        Wrong("return (f(x + 1e-5) - f(x)) / 1e-5", "Use the step h you are given"),
    ],
    "central_difference": [
        Wrong("return (f(x + h) - f(x - h)) / h", "Divide by 2h"),
        Wrong("return (f(x + h) - f(x)) / h", "That is the forward difference"),
        Wrong("return (f(x + 1e-5) - f(x - 1e-5)) / 2e-5", "Use the step h you are given"),
    ],
    "polynomial_derivative": [
        Wrong("return coeffs[1:]", "Multiply each coefficient by its power"),
        Wrong("return np.polyder(coeffs)", "np.polyder expects the highest power first"),
        Wrong("return np.arange(len(coeffs)) * coeffs", "One element too many or too few"),
        Wrong("out = np.zeros(len(coeffs) - 1, dtype=int)\nfor k in range(1, len(coeffs)):\n"
              "    out[k - 1] = k * coeffs[k]\nreturn out", "Coefficients can be fractions"),
    ],
    "tangent_line": [
        Wrong("return df(x0), f(x0)", "not f(x0)"),
        Wrong("slope = df(x0)\nreturn slope, f(x0) + slope * x0", "don't add it"),
    ],
}

RIGHT = {
    "yearly_growth": [
        "return sales[1:] - sales[:-1]",
        "return np.array([sales[i + 1] - sales[i] for i in range(len(sales) - 1)])",
    ],
    "average_rate": [
        "return (f(a) - f(b)) / (a - b)",
        "rise = f(b) - f(a)\nrun = b - a\nreturn rise / run",
    ],
    "forward_difference": [
        "return np.divide(f(x + h) - f(x), h)",
        "step = f(x + h) - f(x)\nreturn step / h",
    ],
    "central_difference": [
        "return (f(x + h) - f(x - h)) / h / 2",
        "forward = (f(x + h) - f(x)) / h\nbackward = (f(x) - f(x - h)) / h\n"
        "return (forward + backward) / 2",
    ],
    "polynomial_derivative": [
        "return np.polynomial.polynomial.polyder(coeffs)",
        "return np.array([k * coeffs[k] for k in range(1, len(coeffs))])",
    ],
    "tangent_line": [
        "return df(x0), f(x0) - df(x0) * x0",
        "slope = df(x0)\nreturn [slope, f(x0) - slope * x0]",
    ],
}
