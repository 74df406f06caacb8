"""Lesson 6 (backpropagation): typical wrong answers and correct alternatives."""

from tests.answers import Wrong

INIT = """
rng = np.random.default_rng(seed)
params = {{}}
for l in range(1, len(layer_sizes)):
    n, n_prev = layer_sizes[l], layer_sizes[l - 1]
    params[f"W{{l}}"] = {W}
    params[f"b{{l}}"] = {b}
return params
"""
HE = "rng.standard_normal((n, n_prev)) * np.sqrt(2 / n_prev)"

DENSE_FORWARD = """
Z = {Z}
A = {A}
return A, {cache}
"""
RELU_OR_SIGMOID = 'relu(Z) if activation == "relu" else sigmoid(Z)'

FORWARD = """
A, caches = X, []
for l, activation in enumerate(activations, start=1):
    W, b = params[f"W{l}"], params[f"b{l}"]
    Z = W @ A + b
    CACHE
    A = ACTIVATE
return A, caches
"""

DENSE_BACKWARD = """
A_prev, W, b, Z = cache
m = A_prev.shape[1]
dZ = {dZ}
dW = {dW}
db = {db}
dA_prev = {dA_prev}
return dA_prev, dW, db
"""
RIGHT_DZ = 'dA * (relu_derivative(Z) if activation == "relu" else sigmoid_derivative(Z))'

BACKWARD = """
grads = {}
L, m = len(caches), AL.shape[1]
dZ = OUTPUT
for l in range(L, 0, -1):
    A_prev, W, b, Z = caches[l - 1]
    grads[f"dW{l}"] = DW
    grads[f"db{l}"] = DB
    if l > 1:
        Z_prev = caches[l - 2][3]
        g_prime = relu_derivative if activations[l - 2] == "relu" else sigmoid_derivative
        dZ = HIDDEN
return grads
"""


def backward_body(output="AL - Y", dW="dZ @ A_prev.T / m", db="dZ.sum(axis=1, keepdims=True) / m",
                  hidden="(W.T @ dZ) * g_prime(Z_prev)"):
    return (BACKWARD.replace("OUTPUT", output).replace("DW", dW).replace("DB", db)
            .replace("HIDDEN", hidden))


def dense_backward_body(dZ=RIGHT_DZ, dW="dZ @ A_prev.T / m", db="dZ.sum(axis=1, keepdims=True) / m",
                        dA_prev="W.T @ dZ"):
    return DENSE_BACKWARD.format(dZ=dZ, dW=dW, db=db, dA_prev=dA_prev)


NUMERICAL = """
grads = {}
for key, value in params.items():
    grad = np.zeros(value.shape)
    for index in np.ndindex(value.shape):
        kept = value[index]
        value[index] = kept + eps
        plus = loss(params)
        value[index] = MINUS
        minus = loss(params)
        value[index] = kept
        grad[index] = DIFFERENCE
    grads[KEY] = grad
return grads
"""


def numerical_body(minus="kept - eps", difference="(plus - minus) / (2 * eps)", key='"d" + key'):
    return (NUMERICAL.replace("MINUS", minus).replace("DIFFERENCE", difference)
            .replace("KEY", key))


WRONG = {
    "init_params": [
        Wrong(INIT.format(W="rng.standard_normal((n_prev, n)) * np.sqrt(2 / n_prev)",
                          b="np.zeros((n, 1))"), "W1 has its shape transposed"),
        Wrong(INIT.format(W=HE, b="rng.standard_normal((n, 1))"),
              "The biases must start at zero"),
        Wrong(INIT.format(W=HE, b="np.zeros(n)"), "b{l} has shape (n_l, 1), a column"),
        Wrong(INIT.format(W="rng.standard_normal((n, n_prev))", b="np.zeros((n, 1))"),
              "Multiply each W{l} by np.sqrt(2 / n_prev)"),
        Wrong(INIT.format(W="np.random.default_rng(seed).standard_normal((n, n_prev)) "
                            "* np.sqrt(2 / n_prev)", b="np.zeros((n, 1))"),
              "Create the generator once, before the loop"),
    ],
    "dense_forward": [
        Wrong(DENSE_FORWARD.format(Z="W @ A_prev + b", A=RELU_OR_SIGMOID, cache="(A_prev, W, b)"),
              "The cache holds four things, (A_prev, W, b, Z)"),
        Wrong(DENSE_FORWARD.format(Z="W @ A_prev + b", A=RELU_OR_SIGMOID,
                                   cache="(A_prev, W, b, A)"),
              "The last item of the cache is Z"),
        Wrong(DENSE_FORWARD.format(Z="W @ A_prev + b", A=RELU_OR_SIGMOID,
                                   cache="(Z, A_prev, W, b)"),
              "The cache's order is (A_prev, W, b, Z)"),
        Wrong(DENSE_FORWARD.format(Z="W @ A_prev", A=RELU_OR_SIGMOID, cache="(A_prev, W, b, Z)"),
              "Add the bias"),
        Wrong(DENSE_FORWARD.format(Z="W @ A_prev + b", A="sigmoid(Z)", cache="(A_prev, W, b, Z)"),
              "use relu(Z); sigmoid only when"),
        Wrong(DENSE_FORWARD.format(Z="W @ A_prev + b", A="relu(Z)", cache="(A_prev, W, b, Z)"),
              "check the string `activation` to choose the function"),
    ],
    "forward": [
        Wrong(FORWARD.replace("CACHE", "caches.append((A, W, b, Z))").replace("ACTIVATE", "relu(Z)"),
              "Each layer has its own activation"),
        Wrong(FORWARD.replace("CACHE", "caches = [(A, W, b, Z)]")
              .replace("ACTIVATE", RELU_OR_SIGMOID), "Append every layer's cache"),
        Wrong(FORWARD.replace("CACHE", "caches.insert(0, (A, W, b, Z))")
              .replace("ACTIVATE", RELU_OR_SIGMOID), "caches[0] must be layer 1's cache"),
    ],
    "dense_backward": [
        Wrong(dense_backward_body(dW="dZ @ A_prev.T", db="dZ.sum(axis=1, keepdims=True)"),
              "divide by m, the number of examples"),
        Wrong(dense_backward_body(dA_prev="W.T @ dZ / m"), "Do not divide dA_prev by m"),
        Wrong(dense_backward_body(dW="A_prev @ dZ.T / m"), "dW is transposed"),
        Wrong(dense_backward_body(db="dZ.sum(axis=0, keepdims=True) / m"),
              "db summed over the wrong axis"),
        Wrong(dense_backward_body(db="dZ.sum(axis=1) / m"), "db lost its column shape"),
        Wrong(dense_backward_body(dZ="dA"), "Multiply dA by the activation's derivative first"),
        Wrong(dense_backward_body(dZ="dA * sigmoid_derivative(Z)"),
              "use relu_derivative(Z), not sigmoid_derivative"),
        Wrong(dense_backward_body(dZ="dA * relu_derivative(Z)"),
              "use sigmoid_derivative(Z), not relu_derivative"),
        Wrong("A_prev, W, b, Z = cache\nm = A_prev.shape[1]\ndZ = dA\n"
              "dZ *= relu_derivative(Z) if activation == 'relu' else sigmoid_derivative(Z)\n"
              "return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m",
              "writes into the caller's dA"),
    ],
    "backward": [
        Wrong(backward_body(dW="dZ @ A_prev.T", db="dZ.sum(axis=1, keepdims=True)"),
              "Every gradient is 2 times too big"),
        Wrong(backward_body(output="Y - AL"), "the output error term is AL − Y"),
        Wrong(backward_body(dW="A_prev @ dZ.T / m"), "dW is transposed"),
        Wrong(backward_body(db="dZ.sum(axis=1) / m"), "db has the wrong shape"),
        Wrong(backward_body(output="(AL - Y) * sigmoid_derivative(caches[-1][3])"),
              "AL − Y is already the output layer's δ"),
        Wrong(backward_body(hidden="W.T @ dZ"), "the hidden-layer error term is"),
        Wrong(backward_body(hidden="(W.T @ dZ) * sigmoid_derivative(Z_prev)"),
              "its error term uses relu_derivative(Z1)"),
        Wrong(backward_body(output="AL").replace("dZ = AL", "AL -= Y\ndZ = AL", 1),
              "Your backward changed AL or Y"),
    ],
    "update": [
        Wrong('return {k: v + learning_rate * grads["d" + k] for k, v in params.items()}',
              "That step goes uphill"),
        Wrong('return {k: v - grads["d" + k] for k, v in params.items()}',
              "Multiply each gradient by the learning rate"),
        Wrong('for k in params:\n    params[k] -= learning_rate * grads["d" + k]\nreturn params',
              "Your update changed the params dict it was given"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        Wrong("return {k: v - 0.5 * grads['d' + k] for k, v in params.items()}",
              "Use the learning_rate you are given"),
    ],
    "relative_error": [
        Wrong("return np.abs(a - b)", "That is the absolute error"),
        Wrong("return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-12)",
              "not by the larger of the two"),
        Wrong("return np.abs(a - b) / np.abs(a + b)", "not |a + b|"),
        Wrong("return np.abs(a - b) / (np.abs(a) + np.abs(b))", "0/0 gave NaN"),
        Wrong("return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))",
              "Return one relative error per entry"),
        Wrong("return np.abs(a - b) / np.maximum(np.abs(a) + b, 1e-12)",
              "Take the absolute value of b too"),
        Wrong("diff = np.abs(a - b)\nnp.abs(a, out=a)\nnp.abs(b, out=b)\n"
              "return diff / np.maximum(a + b, 1e-12)", "changed the arrays it was given"),
        Wrong("return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-15)",
              "divide by 1e-12 itself"),
    ],
    "numerical_gradients": [
        Wrong(numerical_body(minus="kept", difference="(plus - minus) / eps"),
              "That is the forward difference"),
        Wrong(numerical_body(difference="(plus - minus) / eps"), "Divide by 2·eps"),
        Wrong(numerical_body(key="key"), "the key 'dW' for 'W'"),
        Wrong("""
grads = {}
for key, value in params.items():
    grad = np.zeros(value.shape)
    for index in np.ndindex(value.shape):
        value[index] += eps
        plus = loss(params)
        value[index] -= 2 * eps
        minus = loss(params)
        grad[index] = (plus - minus) / (2 * eps)
    grads["d" + key] = grad
return grads
""", "put each entry"),
        Wrong(numerical_body().replace("eps", "1e-5"), "Use the step eps you are given"),
    ],
}

RIGHT = {
    "init_params": [
        """
rng = np.random.default_rng(seed)
params = {}
for l, (n_prev, n) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
    params["W" + str(l)] = rng.normal(0.0, np.sqrt(2.0 / n_prev), size=(n, n_prev))
    params["b" + str(l)] = np.zeros(n)[:, np.newaxis]
return params
""",
        """
rng = np.random.default_rng(seed)
weights = [np.sqrt(2 / layer_sizes[i]) * rng.standard_normal(size=(layer_sizes[i + 1], layer_sizes[i]))
           for i in range(len(layer_sizes) - 1)]
params = {}
for i, W in enumerate(weights):
    params[f"W{i + 1}"] = W
    params[f"b{i + 1}"] = np.zeros((W.shape[0], 1))
return params
""",
    ],
    "dense_forward": [
        """
Z = np.dot(W, A_prev) + b
if activation == "relu":
    A = np.maximum(0, Z)
else:
    A = 1 / (1 + np.exp(-Z))
cache = (A_prev, W, b, Z)
return A, cache
""",
        """
n, m = W.shape[0], A_prev.shape[1]
Z = np.zeros((n, m))
for j in range(n):
    for i in range(m):
        Z[j, i] = sum(W[j, k] * A_prev[k, i] for k in range(W.shape[1])) + b[j, 0]
A = relu(Z) if activation == "relu" else sigmoid(Z)
return A, (A_prev, W, b, Z)
""",
    ],
    "forward": [
        """
A, caches = X, []
for l, activation in enumerate(activations, start=1):
    A, cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"], activation)
    caches.append(cache)
return A, caches
""",
        """
A = X
caches = []
for i in range(len(activations)):
    W, b = params["W" + str(i + 1)], params["b" + str(i + 1)]
    Z = np.dot(W, A) + b
    caches.append((A, W, b, Z))
    A = np.maximum(Z, 0) if activations[i] == "relu" else sigmoid(Z)
return A, caches
""",
    ],
    "dense_backward": [
        """
A_prev, W, b, Z = cache
m = A_prev.shape[1]
if activation == "relu":
    dZ = np.where(Z > 0, dA, 0.0)
else:
    s = sigmoid(Z)
    dZ = dA * s * (1 - s)
dW = np.einsum("jm,im->ji", dZ, A_prev) / m
db = np.mean(dZ, axis=1, keepdims=True)
dA_prev = np.dot(W.T, dZ)
return dA_prev, dW, db
""",
        """
A_prev, W, b, Z = cache
m = A_prev.shape[1]
g = relu_derivative(Z) if activation == "relu" else sigmoid_derivative(Z)
dZ = dA * g
dW = np.zeros(W.shape)
for i in range(m):
    dW += np.outer(dZ[:, i], A_prev[:, i])
dW /= m
db = dZ.mean(axis=1).reshape(-1, 1)
dA_prev = W.T.dot(dZ)
return dA_prev, dW, db
""",
    ],
    "backward": [
        # The output layer by hand, then the learner's dense_backward for each hidden layer.
        """
grads = {}
L, m = len(caches), AL.shape[1]
A_prev, W, b, Z = caches[-1]
dZ = AL - Y
grads[f"dW{L}"] = dZ @ A_prev.T / m
grads[f"db{L}"] = dZ.mean(axis=1, keepdims=True)
dA = W.T @ dZ
for l in reversed(range(1, L)):
    dA, grads[f"dW{l}"], grads[f"db{l}"] = dense_backward(dA, caches[l - 1], activations[l - 1])
return grads
""",
        # Another valid formula: dA of the cross-entropy, then dZ = dA·σ(1 − σ) in dense_backward.
        """
grads = {}
dA = -(Y / AL - (1 - Y) / (1 - AL))
for l in range(len(caches), 0, -1):
    dA, dW, db = dense_backward(dA, caches[l - 1], activations[l - 1])
    grads["dW" + str(l)] = dW
    grads["db" + str(l)] = db
return grads
""",
    ],
    "update": [
        """
new = {}
for name in params:
    new[name] = params[name] - learning_rate * grads["d" + name]
return new
""",
        """
new = {k: v.copy() for k, v in params.items()}
for k in new:
    new[k] -= learning_rate * grads[f"d{k}"]
return new
""",
    ],
    "relative_error": [
        "return np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 1e-12, None)",
        """
a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
out = np.zeros(a.shape)
for index in np.ndindex(a.shape):
    out[index] = abs(a[index] - b[index]) / max(abs(a[index]) + abs(b[index]), 1e-12)
return out
""",
    ],
    "numerical_gradients": [
        """
grads = {}
for key in params:
    grad = np.zeros_like(params[key], dtype=float)
    for index in np.ndindex(params[key].shape):
        up = {k: v.copy() for k, v in params.items()}
        down = {k: v.copy() for k, v in params.items()}
        up[key][index] += eps
        down[key][index] -= eps
        grad[index] = (loss(up) - loss(down)) / (2 * eps)
    grads["d" + key] = grad
return grads
""",
        """
grads = {}
for key, value in params.items():
    flat = value.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = loss(params)
        flat[i] = old - eps
        minus = loss(params)
        flat[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    grads[f"d{key}"] = grad.reshape(value.shape)
return grads
""",
    ],
}
