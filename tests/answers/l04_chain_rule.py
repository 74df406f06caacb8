"""Lesson 4 (the chain rule and activation functions): typical wrong answers and correct
alternatives."""

from tests.answers import Wrong

WRONG = {
    "sigmoid": [
        Wrong("return 1 / (1 + np.exp(z))", "Check the sign inside exp"),
        Wrong("return 1 / (1 + np.exp(-z))", "RuntimeWarning: overflow"),
        Wrong("return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))",
              "np.where computes both of its branches"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        Wrong("e = np.exp(-np.abs(z))\ns = np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"
              "return np.where(z < -25, 0.0, s)", "tiny but not 0"),
    ],
    "sigmoid_derivative": [
        Wrong("s = sigmoid(z)\nreturn s * (1 + s)", "one minus sigma, not one plus"),
        Wrong("return sigmoid(z)", "That is sigma(z) itself"),
        Wrong("return z * (1 - z)", "Apply the formula to sigma(z), not to z"),
        Wrong("s = sigmoid(z)\nreturn np.where(np.abs(z) > 25, 0.0, s * (1 - s))",
              "tiny but not 0"),
    ],
    "relu": [
        Wrong("return np.max(z, 0)", "np.maximum(z, 0) compares each element with 0"),
        Wrong("return np.abs(z)", "does not flip their sign"),
        Wrong("return np.minimum(z, 0)", "You kept the negative part"),
        Wrong("z[z < 0] = 0\nreturn z", "changed the array it was given"),
    ],
    "relu_derivative": [
        Wrong("return np.where(z >= 0, 1.0, 0.0)", "test z > 0, not z >= 0"),
        Wrong("return np.where(z > 0, 0.0, 1.0)", "Wrong side of 0"),
        Wrong("return (z < 0).astype(float)", "Wrong side of 0"),
        Wrong("return np.maximum(z, 0)", "That is ReLU itself"),
    ],
    "leaky_relu": [
        Wrong("return np.maximum(z, 0)", "That is plain ReLU"),
        Wrong("return np.where(z > 0, z, slope)", "not the slope itself"),
        Wrong("return np.where(z > 0, z, 0.01 * z)", "You ignored the `slope` argument"),
        Wrong("z[z < 0] *= slope\nreturn z", "changed the z it was given"),
    ],
    "leaky_relu_derivative": [
        Wrong("return np.where(z > 0, 1.0, 0.0)", "That is ReLU's derivative"),
        Wrong("return np.where(z > 0, 1.0, slope * z)", "not slope * z"),
        Wrong("return np.where(z >= 0, 1.0, slope)", "use the left-hand slope"),
        Wrong("return np.where(z > 0, 1.0, 0.01)", "You ignored the `slope` argument"),
    ],
    "neuron_gradients": [
        Wrong("a = sigmoid(w * x + b)\nreturn -(t - a) * x, -(t - a)",
              "You left out the sigmoid's link"),
        Wrong("a = sigmoid(w * x + b)\ndz = (t - a) * a * (1 - a)\nreturn dz * x, dz",
              "The sign is flipped"),
        Wrong("a = sigmoid(w * x + b)\ndz = -(t - a) * a * (1 - a)\nreturn dz, dz",
              "multiply by dz/dw = x"),
        Wrong("a = sigmoid(w * x + b)\ndz = -(t - a) * a * (1 - a)\nreturn dz * x, dz * x",
              "dE/db has no factor x"),
        Wrong("a = sigmoid(w * x + b)\ndz = -(t - a) * a * (1 - a)\nreturn dz, dz * x",
              "in that order"),
        Wrong("z = w * x + b\na = sigmoid(z)\ndz = -(t - a) * z * (1 - z)\nreturn dz * x, dz",
              # here z = 0, so this gives (0, 0), which many mistakes give: no hint
              "dE_dw (the first of the two values) is off by 0.25"),
    ],
    "revenue_forward_backward": [
        Wrong("n, p = 5 * x**2 + 30, 2 * x + 10\nreturn n * p, p * 10 * x",
              "You counted only the path through n"),
        Wrong("n, p = 5 * x**2 + 30, 2 * x + 10\nreturn n * p, n * 2",
              "You counted only the path through p"),
        Wrong("n, p = 5 * x**2 + 30, 2 * x + 10\nreturn n * p, (p * 10 * x) * (n * 2)",
              "You multiplied the two paths"),
        Wrong("n, p = 5 * x**2 + 30, 2 * x + 10\nreturn n * p, p + n",
              "each path also needs its link from x"),
        Wrong("n, p = 5 * x**2 + 30, 2 * x + 10\nreturn n * p, 10 * x * 2",
              "multiplies the two links that leave x"),
        Wrong("n, p = 5 * x**2 + 30, 2 * x + 10\nreturn n + p, p * 10 * x + n * 2",
              "R is the product n · p"),
    ],
    "matrix_product": [
        Wrong("return B @ A", "That is B @ A"),
        Wrong("return A * B", "That is A * B, entry by entry"),
        Wrong("C = np.zeros((A.shape[0], B.shape[1]))\n"
              "for i in range(A.shape[0]):\n"
              "    for j in range(B.shape[1]):\n"
              "        C[j, i] = np.sum(A[i, :] * B[:, j])\n"
              "return C", "Your result is transposed"),
        Wrong("C = np.zeros((A.shape[0], B.shape[1]))\n"
              "for i in range(A.shape[0]):\n"
              "    for j in range(B.shape[1]):\n"
              "        C[i, j] = np.sum(A[i, :] * B[j, :])\n"
              "return C", "Use column j of B"),
        Wrong("C = np.zeros((A.shape[0], B.shape[1]))\n"
              "for i in range(A.shape[0]):\n"
              "    for j in range(B.shape[1]):\n"
              "        C[i, j] = np.sum(A[:, i] * B[:, j])\n"
              "return C", "Use row i of A"),
        Wrong("C = np.zeros((A.shape[0], B.shape[1]))\n"
              "for i in range(A.shape[0]):\n"
              "    for j in range(B.shape[1]):\n"
              "        C[i, j] = np.sum(A[i, :]) * np.sum(B[:, j])\n"
              "return C", "then multiplied the two sums"),
        Wrong("C = np.zeros((A.shape[0], B.shape[1]), dtype=int)\n"
              "for i in range(A.shape[0]):\n"
              "    for j in range(B.shape[1]):\n"
              "        C[i, j] = np.sum(A[i, :] * B[:, j])\n"
              "return C", "Your C holds whole numbers only"),
    ],
    "collapse_linear": [
        Wrong("return W1 @ W2, W2 @ b1 + b2", "W1 @ W2 is the wrong order"),
        Wrong("return W2 @ W1, b1 + b2", "b = W2 @ b1 + b2, not b1 + b2"),
        Wrong("return W2 @ W1, W2 @ b1", "You forgot to add layer 2's bias b2"),
        Wrong("return W2 * W1, W2 * b1 + b2", "use `@` for matrix products"),
    ],
}

RIGHT = {
    "sigmoid": [
        "return np.exp(-np.logaddexp(0, -z))",
        "return 0.5 * (1 + np.tanh(0.5 * z))",
        "z = np.asarray(z, dtype=float)\n"
        "return 1 / (1 + np.exp(-np.clip(z, -500, 500)))",
        "e = np.exp(-np.abs(z))\n"
        "s = np.where(z >= 0, 1.0, e) / (1 + e)\n"
        "return s",
    ],
    "sigmoid_derivative": [
        "return sigmoid(z) * (1 - sigmoid(z))",
        "return sigmoid(z) * sigmoid(-z)",
        "e = np.exp(-np.abs(z))\nreturn e / (1 + e) ** 2",
    ],
    "relu": [
        "return z * (z > 0)",
        "return np.where(z > 0, z, 0.0)",
        "out = np.array(z, dtype=float)\nout[out < 0] = 0\nreturn out",
        "return np.clip(z, 0, None)",
    ],
    "relu_derivative": [
        "return np.asarray(z > 0, dtype=float)",
        "return np.heaviside(z, 0.0)",
        "return np.greater(z, 0) * 1.0",
    ],
    "leaky_relu": [
        "return np.maximum(z, slope * z)",
        "return z * np.where(z > 0, 1.0, slope)",
        "z = np.asarray(z, dtype=float)\nreturn np.where(z > 0, z, z * slope)",
    ],
    "leaky_relu_derivative": [
        "return np.where(z <= 0, slope, 1.0)",
        "return (z > 0) * (1 - slope) + slope",
        "return np.where(np.asarray(z) > 0, 1.0, slope)",
    ],
    "neuron_gradients": [
        "z = w * x + b\n"
        "dE_da = -(t - sigmoid(z))\n"
        "dE_dz = dE_da * sigmoid_derivative(z)\n"
        "return dE_dz * x, dE_dz",
        "a = sigmoid(w * x + b)\n"
        "delta = (a - t) * a * (1 - a)\n"
        "return [x * delta, delta]",
        "z = np.float32(w) * np.float32(x) + np.float32(b)\n"
        "a = 0.5 * (1 + np.tanh(z / 2))\n"
        "g = float((a - t) * a * (1 - a))\n"
        "return g * float(x), g",
    ],
    "revenue_forward_backward": [
        "return 10 * x**3 + 50 * x**2 + 60 * x + 300, 30 * x**2 + 100 * x + 60",
        "n, p = 5 * x * x + 30, 2 * x + 10\nreturn [n * p, p * (10 * x) + n * 2]",
        "x = np.float64(x)\nn, p = 5 * x**2 + 30, 2 * x + 10\n"
        "dR = np.array([p, n]) @ np.array([10 * x, 2])\nreturn float(n * p), float(dR)",
    ],
    "matrix_product": [
        "a, b = A.shape\nc = B.shape[1]\nC = np.zeros((a, c))\n"
        "for i in range(a):\n"
        "    for j in range(c):\n"
        "        for k in range(b):\n"
        "            C[i, j] += A[i, k] * B[k, j]\n"
        "return C",
        "return np.array([[sum(A[i, k] * B[k, j] for k in range(A.shape[1]))\n"
        "                  for j in range(B.shape[1])] for i in range(A.shape[0])])",
        "C = np.zeros((len(A), len(B[0])))\n"
        "for i, row in enumerate(A):\n"
        "    for j, column in enumerate(B.T):\n"
        "        C[i, j] = row.dot(column)\n"
        "return C",
    ],
    "collapse_linear": [
        "W = np.dot(W2, W1)\nb = np.dot(W2, b1) + b2\nreturn (W, b)",
        "return np.matmul(W2, W1), np.matmul(W2, b1) + b2",
        "n2, n0 = W2.shape[0], W1.shape[1]\n"
        "W = np.zeros((n2, n0))\n"
        "for i in range(n2):\n"
        "    for j in range(n0):\n"
        "        W[i, j] = sum(W2[i, k] * W1[k, j] for k in range(W1.shape[0]))\n"
        "return W, W2 @ b1 + b2",
    ],
}
