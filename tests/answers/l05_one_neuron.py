"""Lesson 5 (one neuron learns): typical wrong answers and correct alternatives."""

from tests.answers import Wrong

WRONG = {
    "neuron_forward": [
        Wrong("return sigmoid(w.T @ X)", "You left out the bias b"),
        Wrong("return w.T @ X + b", "Apply the activation"),
        Wrong("return sigmoid(X.T @ w + b)", "not X.T @ w"),
        Wrong("return sigmoid(w * X + b)", "multiplies element by element"),
    ],
    "mean_squared_error": [
        Wrong("return np.sum((Y - A) ** 2) / 2", "did not divide by m"),
        Wrong("return np.sum((Y - A) ** 2) / (2 * len(Y))", "len(Y) is 1"),
        Wrong("return np.mean((Y - A) ** 2)", "Keep the ½"),
        Wrong("return (Y - A) ** 2 / 2", "Average the m squared errors into one number"),
    ],
    "binary_cross_entropy": [
        Wrong("return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
              "Clip A into [1e-12, 1 - 1e-12] before taking logs"),
        Wrong("A = np.clip(A, 1e-12, 1 - 1e-12)\n"
              "return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
              "did not divide by m"),
        Wrong("A = np.clip(A, 1e-12, 1 - 1e-12)\n"
              "return np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
              "put a minus in front"),
        Wrong("A = np.clip(A, 1e-12, 1 - 1e-12)\nreturn -np.mean(Y * np.log(A))",
              "Use both terms"),
        Wrong("A = np.clip(A, 1e-7, 1 - 1e-7)\n"
              "return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
              "Clip to exactly [1e-12, 1 - 1e-12]"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        Wrong("np.clip(A, 1e-12, 1 - 1e-12, out=A)\n"
              "return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))",
              "changed the A it was given"),
    ],
    "neuron_gradients_batch": [
        Wrong("dZ = A - Y\nreturn dZ @ X.T / X.shape[1], float(np.mean(dZ))",
              "dw must have the shape of w"),
        Wrong("m = X.shape[1]\nreturn X @ (A - Y).T / m, np.sum(A - Y, axis=1, keepdims=True) / m",
              "db should be one number, not an array"),
        Wrong("m = X.shape[1]\nreturn X @ (A - Y).T / m, np.sum(A - Y, axis=0) / m",
              "the wrong axis"),
        Wrong("return X @ (A - Y).T, float(np.sum(A - Y))", "did not divide by m"),
        Wrong("m = X.shape[1]\nreturn X @ (Y - A).T / m, float(np.mean(Y - A))",
              "The error is A - Y, not Y - A"),
    ],
    "train_neuron": [
        Wrong("w = np.zeros((X.shape[0], 1))\nb = 0.0\nlosses = []\n"
              "for _ in range(steps):\n"
              "    A = neuron_forward(X, w, b)\n"
              "    losses.append(binary_cross_entropy(A, Y))\n"
              "    dw, db = neuron_gradients_batch(X, A, Y)\n"
              "    w = w + learning_rate * dw\n"
              "    b = b + learning_rate * db\n"
              "return w, b, losses",
              "Your loss goes up"),
        Wrong("w = np.zeros((X.shape[0], 1))\nb = 0.0\nlosses = []\n"
              "for _ in range(steps):\n"
              "    A = neuron_forward(X, w, b)\n"
              "    losses.append(binary_cross_entropy(A, Y))\n"
              "    dw, db = neuron_gradients_batch(X, A, Y)\n"
              "    w = w - learning_rate * dw\n"
              "return w, b, losses",
              "b never changed"),
        Wrong("w = np.zeros((X.shape[0], 1))\nb = 0.0\nlosses = []\n"
              "for _ in range(steps):\n"
              "    A = neuron_forward(X, w, b)\n"
              "    dw, db = neuron_gradients_batch(X, A, Y)\n"
              "    w = w - learning_rate * dw\n"
              "    b = b - learning_rate * db\n"
              "    losses.append(binary_cross_entropy(neuron_forward(X, w, b), Y))\n"
              "return w, b, losses",
              "record the loss before the update"),
        Wrong("w = np.zeros((X.shape[0], 1))\nb = 0.0\nlosses = []\n"
              "for _ in range(steps):\n"
              "    A = sigmoid(w.T @ X + b)\n"
              "    losses.append(binary_cross_entropy(A, Y))\n"
              "    w = w - learning_rate * X @ (A - Y).T\n"
              "    b = b - learning_rate * np.sum(A - Y)\n"
              "return w, b, losses",
              "Your steps are m times too large"),
        Wrong("n_x, m = X.shape\nw, b, losses = np.zeros((n_x, 1)), 0.0, []\n"
              "for _ in range(steps):\n"
              "    A = sigmoid(w.T @ X + b)\n"
              "    losses.append(float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))))\n"
              "    w = w - learning_rate * X @ (A - Y).T / m\n"
              "    b = b - learning_rate * float(np.mean(A - Y))\n"
              "return w, b, losses", "A loss is NaN or infinite"),
    ],
    "accuracy": [
        Wrong("return np.mean((A < 0.5) == Y)", "the wrong way round"),
        Wrong("return np.mean((A > 0.5) == Y)", "use A >= 0.5, not A > 0.5"),
        Wrong("return np.mean(np.round(A) == Y)", "np.round(0.5) is 0"),
        Wrong("return np.mean(A >= 0.5)", "the fraction of predicted passes"),
        Wrong("return np.sum((A >= 0.5) == Y)", "You counted the correct predictions"),
        Wrong("return 100 * np.mean((A >= 0.5) == Y)", "not a percentage"),
    ],
}

RIGHT = {
    "neuron_forward": [
        "m = X.shape[1]\nA = np.zeros((1, m))\nfor i in range(m):\n"
        "    A[0, i] = sigmoid(np.dot(w[:, 0], X[:, i]) + b)\nreturn A",
        "return sigmoid(np.dot(w.T, X) + b)",
        "Z = w.T @ X + b\nreturn 1 / (1 + np.exp(-Z))",
    ],
    "mean_squared_error": [
        "total = 0.0\nfor i in range(A.shape[1]):\n    total += 0.5 * (Y[0, i] - A[0, i]) ** 2\n"
        "return total / A.shape[1]",
        "return np.mean((A - Y) ** 2) / 2",
        "return 0.5 * np.sum(np.square(Y - A)) / Y.shape[1]",
    ],
    "binary_cross_entropy": [
        "m = A.shape[1]\ntotal = 0.0\nfor i in range(m):\n"
        "    a = min(max(float(A[0, i]), 1e-12), 1 - 1e-12)\n"
        "    y = float(Y[0, i])\n"
        "    total -= y * np.log(a) + (1 - y) * np.log(1 - a)\n"
        "return total / m",
        "A = np.clip(A, 1e-12, 1 - 1e-12)\nZ = np.log(A) - np.log(1 - A)\n"
        "return np.mean(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z))",
        "A = np.clip(A, 1e-12, 1 - 1e-12)\n"
        "return float(np.mean(np.where(Y == 1, -np.log(A), -np.log(1 - A))))",
        "return -np.mean(Y * np.log(A + 1e-12) + (1 - Y) * np.log(1 - A + 1e-12))",
    ],
    "neuron_gradients_batch": [
        "n_x, m = X.shape\ndw = np.zeros((n_x, 1))\ndb = 0.0\nfor i in range(m):\n"
        "    error = A[0, i] - Y[0, i]\n    dw[:, 0] += error * X[:, i] / m\n    db += error / m\n"
        "return dw, db",
        "m = X.shape[1]\nreturn np.dot(X, (A - Y).T) / m, np.mean(A - Y)",
        "dZ = A - Y\nreturn (dZ @ X.T).T / X.shape[1], dZ.sum() / X.shape[1]",
    ],
    "train_neuron": [
        "m = X.shape[1]\nw = np.zeros((X.shape[0], 1))\nb = 0.0\nlosses = np.zeros(steps)\n"
        "for k in range(steps):\n"
        "    A = sigmoid(np.dot(w.T, X) + b)\n"
        "    safe = np.clip(A, 1e-12, 1 - 1e-12)\n"
        "    losses[k] = -np.sum(Y * np.log(safe) + (1 - Y) * np.log(1 - safe)) / m\n"
        "    w = w - learning_rate * np.dot(X, (A - Y).T) / m\n"
        "    b = b - learning_rate * np.sum(A - Y) / m\n"
        "return w, b, losses",
        "w = np.zeros((X.shape[0], 1))\nb = 0.0\nlosses = []\n"
        "for _ in range(steps):\n"
        "    A = neuron_forward(X, w, b)\n"
        "    losses.append(binary_cross_entropy(A, Y))\n"
        "    dw, db = neuron_gradients_batch(X, A, Y)\n"
        "    w -= learning_rate * dw\n"
        "    b -= learning_rate * db\n"
        "return w, b, losses",
        "params = np.zeros((X.shape[0] + 1, 1))          # w and b in one column\n"
        "X1 = np.vstack([X, np.ones((1, X.shape[1]))])   # a row of ones for b\n"
        "losses = []\n"
        "step = 0\n"
        "while step < steps:\n"
        "    A = sigmoid(params.T @ X1)\n"
        "    losses.append(binary_cross_entropy(A, Y))\n"
        "    params = params - learning_rate * X1 @ (A - Y).T / X.shape[1]\n"
        "    step += 1\n"
        "return params[:-1], params[-1, 0], losses",
    ],
    "accuracy": [
        "correct = 0\nfor a, y in zip(A[0], Y[0]):\n    correct += int((a >= 0.5) == (y == 1))\n"
        "return correct / A.shape[1]",
        "return np.mean((A >= 0.5) == Y)",
        "return float(np.sum(np.where(A >= 0.5, 1, 0) == Y)) / Y.size",
    ],
}
