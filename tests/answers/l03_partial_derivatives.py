"""Lesson 3 (partial derivatives): typical wrong answers and correct alternatives."""

from tests.answers import Wrong

WRONG = {
    "pig_farm_model": [
        Wrong("return 5 * x[..., 0] ** 2 + 8 * x[..., 1] + 35 * x[..., 2]",
              "You forgot the constant 30"),
        Wrong("return 5 * x[0] ** 2 + 8 * x[1] + 35 * x[2] + 30",
              "You took rows instead of columns"),
        Wrong("return (5 * x[..., 0]) ** 2 + 8 * x[..., 1] + 35 * x[..., 2] + 30",
              "Square x₁ first, then multiply by 5"),
        Wrong("return 10 * x[..., 0] + 8 * x[..., 1] + 35 * x[..., 2] + 30",
              "10·x₁ is its derivative"),
    ],
    "pig_farm_gradient": [
        Wrong("return np.array([10 * x[0], 8 * x[1], 35 * x[2]])",
              "The rate of a term like 8·x₂ is the number 8"),
        Wrong("return np.array([5 * x[0], 8, 35])", "Power rule"),
        Wrong("return np.array([10 * x[0], 8, 35, 30])", "One component per input"),
        Wrong("return np.array([5 * x[0] ** 2, 8 * x[1], 35 * x[2]])",
              "Those are the terms themselves"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        # [2, 8, 35] for [2.5, 8, 35] is also the expected value rounded: no hint (issue 11)
        Wrong("return np.array([10 * x[0], 8, 35], dtype=int)",
              "1 of 3 values are wrong; the largest gap is 0.5 at index (0,)"),
    ],
    "partial_derivative": [
        Wrong("return (f(x + h) - f(x - h)) / (2 * h)", "You moved every input by h"),
        Wrong("step = np.zeros(len(x))\nstep[i] = h\nreturn (f(x + step) - f(x - step)) / h",
              "Divide by 2h"),
        Wrong("x[i] = x[i] + h\nup = f(x)\nx[i] = x[i] - 2 * h\ndown = f(x)\n"
              "return (up - down) / (2 * h)",
              "Your function changed the x it was given"),
        Wrong("step = np.zeros(len(x))\nstep[i] = h\nreturn (f(x + step) - f(x)) / h",
              "That is a forward difference"),
        Wrong("step = np.zeros(len(x))\nstep[i] = 1e-5\n"
              "return (f(x + step) - f(x - step)) / 2e-5", "Use the step h you are given"),
    ],
    "numerical_gradient": [
        Wrong("steps = h * np.eye(len(x))\n"
              "return np.array([(f(x + s) - f(x - s)) / (2 * h) for s in steps[1:]])",
              "A component is missing"),
        Wrong("grad = np.zeros(len(x))\nfor i in range(1, len(x)):\n    step = np.zeros(len(x))\n"
              "    step[i] = h\n    grad[i] = (f(x + step) - f(x - step)) / (2 * h)\nreturn grad",
              "The first component is 0"),
        Wrong("steps = h * np.eye(len(x))\n"
              "return np.array([(f(x + s) - f(x)) / h for s in steps])",
              "That is a forward difference"),
        Wrong("return np.array([(f(x + h) - f(x - h)) / (2 * h) for _ in x])",
              "Every component moved every input"),
        Wrong("steps = 1e-5 * np.eye(len(x))\n"
              "return np.array([(f(x + s) - f(x - s)) / 2e-5 for s in steps])",
              "Use the step h you are given"),
    ],
    "gradient_descent_nd": [
        Wrong("path = np.zeros((steps + 1, len(x0)))\npath[0] = x0\nfor k in range(steps):\n"
              "    path[k + 1] = path[k] + learning_rate * grad(path[k])\nreturn path",
              "You climbed uphill"),
        Wrong("x = x0\npath = []\nfor _ in range(steps):\n    x = x - learning_rate * grad(x)\n"
              "    path.append(x)\nreturn np.array(path)",
              "The path must start with x0 itself"),
        Wrong("x = x0\nfor _ in range(steps):\n    x = x - learning_rate * grad(x)\nreturn x",
              "Return the whole path"),
        Wrong("x = x0\npath = [x]\nfor _ in range(steps):\n    x -= learning_rate * grad(x)\n"
              "    path.append(x)\nreturn np.array(path)",
              "Every row of your path is the same point"),
    ],
    "fit_farm": [
        Wrong("Z = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2]])\n"
              "mean, std = Z.mean(axis=0), Z.std(axis=0)\nS = (Z - mean) / std\n"
              "w, w0, m = np.zeros(3), 0.0, len(y)\nfor _ in range(steps):\n"
              "    error = S @ w + w0 - y\n"
              "    w = w + learning_rate * 2 / m * (S.T @ error)\n"
              "    w0 = w0 + learning_rate * 2 / m * error.sum()\n"
              "a, b, c = w / std\nreturn a, b, c, w0 - np.sum(w * mean / std)",
              "Your coefficients blew up"),
        Wrong("Z = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2]])\n"
              "mean, std = Z.mean(axis=0), Z.std(axis=0)\nS = (Z - mean) / std\n"
              "w, w0, m = np.zeros(3), 0.0, len(y)\nfor _ in range(steps):\n"
              "    error = S @ w + w0 - y\n"
              "    w = w - learning_rate * 2 / m * (S.T @ error)\n"
              "a, b, c = w / std\nreturn a, b, c, w0 - np.sum(w * mean / std)",
              "update the constant w0 too"),
        Wrong("Z = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2]])\n"
              "mean, std = Z.mean(axis=0), Z.std(axis=0)\nS = (Z - mean) / std\n"
              "w, w0, m = np.zeros(3), 0.0, len(y)\nfor _ in range(steps):\n"
              "    error = S @ w + w0 - y\n"
              "    w = w - learning_rate * 2 / m * (S.T @ error)\n"
              "    w0 = w0 - learning_rate * 2 / m * error.sum()\n"
              "return w[0], w[1], w[2], w0",
              "These are the weights of the standardised features"),
        Wrong("Z = X.astype(float)\n"
              "mean, std = Z.mean(axis=0), Z.std(axis=0)\nS = (Z - mean) / std\n"
              "w, w0, m = np.zeros(3), 0.0, len(y)\nfor _ in range(steps):\n"
              "    error = S @ w + w0 - y\n"
              "    w = w - learning_rate * 2 / m * (S.T @ error)\n"
              "    w0 = w0 - learning_rate * 2 / m * error.sum()\n"
              "a, b, c = w / std\nreturn a, b, c, w0 - np.sum(w * mean / std)",
              "the square of the years"),
        Wrong("Z = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2]])\n"
              "mean, std = Z.mean(axis=0), Z.std(axis=0)\nS = (Z - mean) / std\n"
              "w, w0, m = np.zeros(3), 0.0, len(y)\nfor _ in range(steps):\n"
              "    error = S @ w + w0 - y\n"
              "    w = w - 0.1 * 2 / m * (S.T @ error)\n"
              "    w0 = w0 - 0.1 * 2 / m * error.sum()\n"
              "a, b, c = w / std\nreturn a, b, c, w0 - np.sum(w * mean / std)",
              "each step moves the weights"),
    ],
}

RIGHT = {
    "pig_farm_model": [
        "x1, x2, x3 = np.moveaxis(x, -1, 0)\nreturn 5 * x1**2 + 8 * x2 + 35 * x3 + 30",
        "return 5 * np.square(x[..., 0]) + x[..., 1:] @ np.array([8.0, 35.0]) + 30",
        "if x.ndim == 1:\n    return 5 * x[0] ** 2 + 8 * x[1] + 35 * x[2] + 30\n"
        "return np.array([5 * r[0] ** 2 + 8 * r[1] + 35 * r[2] + 30 for r in x])",
    ],
    "pig_farm_gradient": [
        "return np.array([10.0, 0.0, 0.0]) * x + np.array([0.0, 8.0, 35.0])",
        "grad = np.zeros(3)\ngrad[0] = 10 * x[0]\ngrad[1] = 8\ngrad[2] = 35\nreturn grad",
    ],
    "partial_derivative": [
        "up, down = x.copy(), x.copy()\nup[i] += h\ndown[i] -= h\n"
        "return (f(up) - f(down)) / (2 * h)",
        "step = h * np.eye(len(x))[i]\nreturn (f(x + step) - f(x - step)) / h / 2",
    ],
    "numerical_gradient": [
        "grad = np.zeros(len(x))\nfor i in range(len(x)):\n    up, down = x.copy(), x.copy()\n"
        "    up[i] += h\n    down[i] -= h\n    grad[i] = (f(up) - f(down)) / (2 * h)\nreturn grad",
        "return np.array([(f(x + s) - f(x - s)) / h / 2 for s in np.diag(np.full(len(x), h))])",
        # one partial derivative (Exercise 3) per input
        "return np.array([partial_derivative(f, x, i, h) for i in range(len(x))])",
    ],
    "gradient_descent_nd": [
        "x = np.array(x0, dtype=float)\npath = [x]\nfor _ in range(steps):\n"
        "    x = x - learning_rate * np.asarray(grad(x))\n    path.append(x)\nreturn np.array(path)",
        "path = [np.copy(x0)]\nfor _ in range(steps):\n"
        "    path.append(path[-1] - learning_rate * grad(path[-1]))\nreturn np.stack(path)",
    ],
    "fit_farm": [
        # all four weights at once, the constant as a column of ones
        "Z = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2]])\n"
        "mean, std = Z.mean(axis=0), Z.std(axis=0)\n"
        "S = np.column_stack([(Z - mean) / std, np.ones(len(y))])\n"
        "theta = np.zeros(4)\nfor _ in range(steps):\n"
        "    theta = theta - learning_rate * 2 * S.T @ (S @ theta - y) / len(y)\n"
        "w, w0 = theta[:3], theta[3]\n"
        "a, b, c = w / std\nd = w0 - (w * mean / std).sum()\nreturn float(a), float(b), float(c), float(d)",
        # the gradient as a mean of per-record terms
        "Z = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2]])\n"
        "mean = Z.mean(axis=0)\nstd = np.sqrt(((Z - mean) ** 2).mean(axis=0))\n"
        "S = (Z - mean) / std\nw, w0 = np.zeros(3), 0.0\nfor _ in range(steps):\n"
        "    error = S @ w + w0 - y\n"
        "    grad_w = np.mean(2 * error[:, None] * S, axis=0)\n"
        "    grad_w0 = np.mean(2 * error)\n"
        "    w, w0 = w - learning_rate * grad_w, w0 - learning_rate * grad_w0\n"
        "return np.array([w[0] / std[0], w[1] / std[1], w[2] / std[2], w0 - np.dot(w, mean / std)])",
    ],
}
