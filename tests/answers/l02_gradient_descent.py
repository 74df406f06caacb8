"""Lesson 2 (gradient descent): typical wrong answers and correct alternatives."""

from tests.answers import Wrong

WRONG = {
    "gradient_descent": [
        Wrong("path = np.zeros(steps + 1)\npath[0] = x0\nfor k in range(steps):\n"
              "    path[k + 1] = path[k] + learning_rate * df(path[k])\nreturn path",
              "Your path climbs: that is gradient ascent"),
        Wrong("path = []\nx = x0\nfor _ in range(steps):\n    x = x - learning_rate * df(x)\n"
              "    path.append(x)\nreturn np.array(path)",
              "The path must start with x0 itself"),
        Wrong("x = x0\nfor _ in range(steps):\n    x = x - learning_rate * df(x)\nreturn x",
              "not only where it ends"),
        Wrong("path = [x0]\nfor _ in range(steps + 1):\n"
              "    path.append(path[-1] - learning_rate * df(path[-1]))\nreturn np.array(path)",
              "One step too many"),
        Wrong("path = [x0]\nfor _ in range(steps):\n"
              "    path.append(path[-1] - learning_rate * df(path[-1]))\nreturn path",
              "it should return a NumPy array"),
        Wrong("path = np.full(steps + 1, x0)\nfor k in range(steps):\n"
              "    path[k + 1] = path[k] - learning_rate * df(path[k])\nreturn path",
              "Your path holds whole numbers only"),
    ],
    "second_derivative": [
        Wrong("return (f(x + h) - 2 * f(x) + f(x - h)) / (2 * h**2)", "not 2h²"),
        Wrong("return (f(x + h) - 2 * f(x) + f(x - h)) / h", "not by h."),
        Wrong("return (f(x + h) - f(x - h)) / (2 * h)", "That is the first derivative"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        Wrong("h = 1e-4\nreturn (f(x + h) - 2 * f(x) + f(x - h)) / h**2",
              "Use the step h you are given"),
    ],
    "classify_stationary_point": [
        Wrong("curvature = (f(x + h) - 2 * f(x) + f(x - h)) / h**2\n"
              "if curvature > 1e-3:\n    return 'maximum'\n"
              "if curvature < -1e-3:\n    return 'minimum'\nreturn 'neither'",
              "so the point is a minimum"),
        Wrong("curvature = (f(x + h) - 2 * f(x) + f(x - h)) / h**2\n"
              "if curvature > 0:\n    return 'minimum'\n"
              "if curvature < 0:\n    return 'maximum'\nreturn 'neither'",
              "Treat |f″| < 1e-3 as zero"),
        Wrong("slope = (f(x + h) - f(x - h)) / (2 * h)\n"
              "if slope > 1e-3:\n    return 'minimum'\n"
              "if slope < -1e-3:\n    return 'maximum'\nreturn 'neither'",
              "Use the second derivative f″ and its sign"),
        Wrong("c = (f(x + 1e-4) - 2 * f(x) + f(x - 1e-4)) / 1e-8\n"
              "if c > 1e-3:\n    return 'minimum'\nif c < -1e-3:\n    return 'maximum'\n"
              "return 'neither'", "Use the step h you are given"),
        Wrong("c = (f(x + h) - 2 * f(x) + f(x - h)) / h**2\n"
              "if c > 1e-2:\n    return 'minimum'\nif c < -1e-2:\n    return 'maximum'\n"
              "return 'neither'", "beyond the tolerance 1e-3"),
    ],
    "parabola_vertex": [
        Wrong("x = -b / a\nreturn x, a * x**2 + b * x + c", "divide by 2a, not by a"),
        Wrong("x = b / (2 * a)\nreturn x, a * x**2 + b * x + c", "Mind the sign"),
        Wrong("return -b / (2 * a), c", "not c alone"),
        Wrong("return -b / (2 * a)", "Return both numbers"),
    ],
    "best_of_starts": [
        Wrong("ends = np.array([gradient_descent(df, s, learning_rate, steps)[-1] for s in starts])\n"
              "best = np.argmax(f(ends))\nreturn ends[best], f(ends)[best]",
              "You kept the highest end point"),
        Wrong("end = gradient_descent(df, starts[0], learning_rate, steps)[-1]\n"
              "return end, f(end)",
              "That is where the first start ends"),
        Wrong("ends = np.array([gradient_descent(df, s, learning_rate, steps)[-1] for s in starts])\n"
              "best = np.argmin(f(ends))\nreturn starts[best], f(ends)[best]",
              "-0.7 is a starting point"),
        Wrong("ends = np.array([gradient_descent(df, x0, learning_rate, 100)[-1] for x0 in starts])\n"
              "best = np.argmin(f(ends))\nreturn ends[best], f(ends)[best]",
              "Pass `learning_rate` and `steps` on to gradient_descent"),
    ],
}

RIGHT = {
    "gradient_descent": [
        "path = [x0]\nfor _ in range(steps):\n"
        "    path.append(path[-1] - learning_rate * df(path[-1]))\nreturn np.array(path, dtype=float)",
        "path = np.empty(steps + 1)\nx = float(x0)\nfor k in range(steps + 1):\n"
        "    path[k] = x\n    x -= learning_rate * df(x)\nreturn path",
    ],
    "second_derivative": [
        "slope = lambda t: (f(t + h / 2) - f(t - h / 2)) / h\n"
        "return (slope(x + h / 2) - slope(x - h / 2)) / h",
        "right = (f(x + h) - f(x)) / h\nleft = (f(x) - f(x - h)) / h\nreturn (right - left) / h",
    ],
    "classify_stationary_point": [
        "names = {1: 'minimum', -1: 'maximum', 0: 'neither'}\n"
        "curvature = second_derivative(f, x, h)\n"
        "return names[int(np.sign(curvature)) if abs(curvature) >= 1e-3 else 0]",
        "curvature = (f(x + h) - 2 * f(x) + f(x - h)) / h**2\n"
        "if abs(curvature) < 1e-3:\n    return 'neither'\n"
        "return 'minimum' if curvature > 0 else 'maximum'",
    ],
    "parabola_vertex": [
        "x = -b / (2 * a)\nreturn x, c - b**2 / (4 * a)",
        "return (-b / (2 * a), (4 * a * c - b**2) / (4 * a))",
    ],
    "best_of_starts": [
        "best_x, best_f = None, None\nfor s in starts:\n"
        "    end = gradient_descent(df, s, learning_rate, steps)[-1]\n"
        "    if best_f is None or f(end) < best_f:\n        best_x, best_f = end, f(end)\n"
        "return best_x, best_f",
        "ends = [gradient_descent(df, s, learning_rate, steps)[-1] for s in starts]\n"
        "best = min(ends, key=f)\nreturn best, f(best)",
    ],
}
