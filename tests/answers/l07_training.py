"""Lesson 7 (training the two-circles classifier): typical wrong answers and correct
alternatives."""

from tests.answers import Wrong

WRONG = {
    "train_test_split": [
        Wrong("m = X.shape[1]\n"
              "order = np.random.default_rng(seed).permutation(m)\n"
              "n_test = int(round(test_fraction * m))\n"
              "return X, Y, X[:, order[:n_test]], Y[:, order[:n_test]]",
              "The test set must not overlap the training set"),
        Wrong("m = X.shape[1]\n"
              "rng = np.random.default_rng(seed)\n"
              "n_test = int(round(test_fraction * m))\n"
              "X, Y = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]\n"
              "return X[:, n_test:], Y[:, n_test:], X[:, :n_test], Y[:, :n_test]",
              "Shuffle X and Y with the same permutation"),
        Wrong("n_test = int(round(test_fraction * X.shape[1]))\n"
              "return X[:, n_test:], Y[:, n_test:], X[:, :n_test], Y[:, :n_test]",
              "Shuffle before you split"),
        # found by mutation testing (benchmarks/mutants.py): passed every check before
        Wrong("m = X.shape[1]\norder = np.random.default_rng(seed).permutation(m)\n"
              "n_test = int(test_fraction * m)\n"
              "return X[:, order[n_test:]], Y[:, order[n_test:]], X[:, order[:n_test]], "
              "Y[:, order[:n_test]]", "Round the test size"),
    ],
    "min_max_normalise": [
        Wrong("if lo is None:\n"
              "    lo = X.min(axis=0, keepdims=True)\n"
              "    hi = X.max(axis=0, keepdims=True)\n"
              "return (X - lo) / (hi - lo), lo, hi",
              "take min and max along axis=1"),
        Wrong("lo = X.min(axis=1, keepdims=True)\n"
              "hi = X.max(axis=1, keepdims=True)\n"
              "return (X - lo) / (hi - lo), lo, hi",
              "never its own"),
        Wrong("if lo is None or hi is None:\n"
              "    lo = X.min(axis=1, keepdims=True)\n    hi = X.max(axis=1, keepdims=True)\n"
              "X -= lo\nX /= hi - lo\nreturn X, lo, hi", "changed the X it was given"),
    ],
    "mini_batches": [
        Wrong("m = X.shape[1]\n"
              "order = np.random.default_rng(seed).permutation(m)\n"
              "X, Y = X[:, order], Y[:, order]\n"
              "return [(X[:, k:k + batch_size], Y[:, k:k + batch_size])\n"
              "        for k in range(0, m - batch_size + 1, batch_size)]",
              "Keep the last, smaller batch"),
        Wrong("m = X.shape[1]\n"
              "rng = np.random.default_rng(seed)\n"
              "X, Y = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]\n"
              "return [(X[:, k:k + batch_size], Y[:, k:k + batch_size])\n"
              "        for k in range(0, m, batch_size)]",
              "Shuffle X and Y with the same permutation"),
        Wrong("m = X.shape[1]\n"
              "return [(X[:, k:k + batch_size], Y[:, k:k + batch_size])\n"
              "        for k in range(0, m, batch_size)]",
              "Shuffle first"),
        Wrong("m = X.shape[1]\norder = np.random.default_rng(0).permutation(m)\n"
              "return [(X[:, order[k:k + batch_size]], Y[:, order[k:k + batch_size]])\n"
              "        for k in range(0, m, batch_size)]", "Use the seed you are given"),
    ],
    "step_decay": [
        Wrong("return initial_rate * drop ** ((epoch + 1) // every)", "Off by one epoch"),
        # 0.2 here is the initial rate itself (drop * 2 = 1): not evidence of drop * k
        Wrong("return initial_rate * drop * (epoch // every)", "The value is off by 0.15"),
        Wrong("return initial_rate * drop ** (epoch / every)", "Round the number of drops down"),
        Wrong("return initial_rate * drop ** (epoch // 10)", "Use `every` as you are given it"),
    ],
    "train": [
        Wrong("params = init_params(layer_sizes, seed)\n"
              "history = {'loss': [], 'accuracy': []}\n"
              "for epoch in range(epochs):\n"
              "    for X_batch, Y_batch in mini_batches(X, Y, batch_size, seed + epoch):\n"
              "        AL, caches = forward(X_batch, params, activations)\n"
              "        grads = backward(AL, Y_batch, caches, activations)\n"
              "        params = update(params, grads, learning_rate)\n"
              "    AL, _ = forward(X, params, activations)\n"
              "    history['loss'].append(binary_cross_entropy(AL, Y))\n"
              "    history['accuracy'].append(accuracy(AL, Y))\n"
              "    if callback is not None:\n"
              "        callback(epoch, params, history)\n"
              "return params, history",
              "Ask step_decay(learning_rate, epoch, drop, every)"),
        Wrong("params = init_params(layer_sizes, seed)\n"
              "history = {'loss': [], 'accuracy': []}\n"
              "for epoch in range(epochs):\n"
              "    rate = step_decay(learning_rate, epoch, drop, every)\n"
              "    for X_batch, Y_batch in mini_batches(X, Y, batch_size, seed + epoch):\n"
              "        AL, caches = forward(X_batch, params, activations)\n"
              "        grads = backward(AL, Y_batch, caches, activations)\n"
              "        params = update(params, grads, rate)\n"
              "        A_all, _ = forward(X, params, activations)\n"
              "        history['loss'].append(binary_cross_entropy(A_all, Y))\n"
              "        history['accuracy'].append(accuracy(A_all, Y))\n"
              "    if callback is not None:\n"
              "        callback(epoch, params, history)\n"
              "return params, history",
              "once per epoch, after all its batches"),
        Wrong("params = init_params(layer_sizes, seed)\n"
              "history = {'loss': [], 'accuracy': []}\n"
              "for epoch in range(epochs):\n"
              "    rate = step_decay(learning_rate, epoch, drop, every)\n"
              "    for X_batch, Y_batch in mini_batches(X, Y, batch_size, seed):\n"
              "        AL, caches = forward(X_batch, params, activations)\n"
              "        grads = backward(AL, Y_batch, caches, activations)\n"
              "        params = update(params, grads, rate)\n"
              "    AL, _ = forward(X, params, activations)\n"
              "    history['loss'].append(binary_cross_entropy(AL, Y))\n"
              "    history['accuracy'].append(accuracy(AL, Y))\n"
              "    if callback is not None:\n"
              "        callback(epoch, params, history)\n"
              "return params, history",
              "seed + epoch"),
        Wrong("params = init_params(layer_sizes, seed)\n"
              "history = {'loss': [], 'accuracy': []}\n"
              "for epoch in range(epochs):\n"
              "    rate = step_decay(learning_rate, epoch, drop, every)\n"
              "    for X_batch, Y_batch in mini_batches(X, Y, batch_size, seed + epoch):\n"
              "        AL, caches = forward(X_batch, params, activations)\n"
              "        grads = backward(AL, Y_batch, caches, activations)\n"
              "        params = update(params, grads, rate)\n"
              "    history['loss'].append(binary_cross_entropy(AL, Y_batch))\n"
              "    history['accuracy'].append(accuracy(AL, Y_batch))\n"
              "    if callback is not None:\n"
              "        callback(epoch, params, history)\n"
              "return params, history",
              "not of the last batch"),
        Wrong("params = init_params(layer_sizes, seed)\n"
              "history = {'loss': [], 'accuracy': []}\n"
              "for epoch in range(epochs):\n"
              "    rate = step_decay(learning_rate, epoch, drop, every)\n"
              "    for X_batch, Y_batch in mini_batches(X, Y, batch_size, seed + epoch):\n"
              "        AL, caches = forward(X_batch, params, activations)\n"
              "        grads = backward(AL, Y_batch, caches, activations)\n"
              "        params = update(params, grads, rate)\n"
              "    AL, _ = forward(X, params, activations)\n"
              "    history['loss'].append(binary_cross_entropy(AL, Y))\n"
              "    history['accuracy'].append(accuracy(AL, Y))\n"
              "return params, history",
              "callback(epoch, params, history) should be called once after every epoch"),
    ],
    "random_search": [
        Wrong("rng = np.random.default_rng(seed)\n"
              "results = []\n"
              "for _ in range(trials):\n"
              "    learning_rate = float(rng.uniform(rates[0], rates[1]))\n"
              "    width = int(rng.choice(widths))\n"
              "    results.append({'learning_rate': learning_rate, 'width': width,\n"
              "                    'score': score(learning_rate, width)})\n"
              "return max(results, key=lambda r: r['score']), results",
              "Draw the learning rate on a log scale"),
        Wrong("rng = np.random.default_rng(seed)\n"
              "low, high = np.log10(rates[0]), np.log10(rates[1])\n"
              "results = []\n"
              "for _ in range(trials):\n"
              "    learning_rate = float(10 ** rng.uniform(low, high))\n"
              "    width = int(rng.choice(widths))\n"
              "    results.append({'learning_rate': learning_rate, 'width': width,\n"
              "                    'score': score(learning_rate, width)})\n"
              "return min(results, key=lambda r: r['score']), results",
              "HIGHEST score"),
        Wrong("rng = np.random.default_rng()\n"
              "low, high = np.log10(rates[0]), np.log10(rates[1])\n"
              "results = []\n"
              "for _ in range(trials):\n"
              "    learning_rate = float(10 ** rng.uniform(low, high))\n"
              "    width = int(rng.choice(widths))\n"
              "    results.append({'learning_rate': learning_rate, 'width': width,\n"
              "                    'score': score(learning_rate, width)})\n"
              "return max(results, key=lambda r: r['score']), results",
              "the same seed must give the same search"),
        Wrong("rng = np.random.default_rng(seed)\n"
              "learning_rate = float(10 ** rng.uniform(np.log10(rates[0]), np.log10(rates[1])))\n"
              "results = []\n"
              "for _ in range(trials):\n"
              "    width = int(rng.choice(widths))\n"
              "    results.append({'learning_rate': learning_rate, 'width': width,\n"
              "                    'score': score(learning_rate, width)})\n"
              "return max(results, key=lambda r: r['score']), results",
              "Draw a new learning rate for every trial"),
    ],
}

RIGHT = {
    "train_test_split": [
        "m = X.shape[1]\n"
        "order = np.random.default_rng(seed).permutation(m)\n"
        "n_test = int(round(test_fraction * m))\n"
        "train = [i for i in order[n_test:]]\n"
        "test = [i for i in order[:n_test]]\n"
        "return (np.take(X, train, axis=1), np.take(Y, train, axis=1),\n"
        "        np.take(X, test, axis=1), np.take(Y, test, axis=1))",
        "m = X.shape[1]\n"
        "n_x = X.shape[0]\n"
        "data = np.vstack([X, Y])[:, np.random.default_rng(seed).permutation(m)]\n"
        "n_test = round(test_fraction * m)\n"
        "return data[:n_x, n_test:], data[n_x:, n_test:], data[:n_x, :n_test], data[n_x:, :n_test]",
    ],
    "min_max_normalise": [
        "X = np.asarray(X, dtype=float)\n"
        "if lo is None:\n"
        "    lo = np.array([[min(row)] for row in X])\n"
        "    hi = np.array([[max(row)] for row in X])\n"
        "scaled = np.empty_like(X)\n"
        "for i in range(X.shape[0]):\n"
        "    scaled[i] = (X[i] - lo[i, 0]) / (hi[i, 0] - lo[i, 0])\n"
        "return scaled, lo, hi",
        "if lo is None:\n"
        "    lo, hi = np.min(X, 1)[:, None], np.max(X, 1)[:, None]\n"
        "span = hi - lo\n"
        "return (X - lo) / span, lo, hi",
    ],
    "mini_batches": [
        "m = X.shape[1]\n"
        "order = np.random.default_rng(seed).permutation(m)\n"
        "batches = []\n"
        "start = 0\n"
        "while start < m:\n"
        "    chosen = order[start:start + batch_size]\n"
        "    batches.append((np.take(X, chosen, axis=1), np.take(Y, chosen, axis=1)))\n"
        "    start += batch_size\n"
        "return batches",
        "order = np.random.default_rng(seed).permutation(X.shape[1])\n"
        "cuts = list(range(batch_size, X.shape[1], batch_size))\n"
        "return list(zip(np.split(X[:, order], cuts, axis=1), np.split(Y[:, order], cuts, axis=1)))",
    ],
    "step_decay": [
        "rate = initial_rate\n"
        "for _ in range(epoch // every):\n"
        "    rate *= drop\n"
        "return rate",
        "return initial_rate * np.power(drop, np.floor(epoch / every))",
    ],
    "train": [
        "params = init_params(layer_sizes, seed)\n"
        "losses, accuracies = [], []\n"
        "epoch = 0\n"
        "while epoch < epochs:\n"
        "    rate = step_decay(learning_rate, epoch, drop, every)\n"
        "    batches = mini_batches(X, Y, batch_size, seed + epoch)\n"
        "    for i in range(len(batches)):\n"
        "        AL, caches = forward(batches[i][0], params, activations)\n"
        "        params = update(params, backward(AL, batches[i][1], caches, activations), rate)\n"
        "    A_all = forward(X, params, activations)[0]\n"
        "    losses.append(binary_cross_entropy(A_all, Y))\n"
        "    accuracies.append(accuracy(A_all, Y))\n"
        "    if callback:\n"
        "        callback(epoch, params, {'loss': losses, 'accuracy': accuracies})\n"
        "    epoch += 1\n"
        "return params, {'loss': np.array(losses), 'accuracy': np.array(accuracies)}",
        "X = np.asarray(X, dtype=float)\n"
        "params = init_params(layer_sizes, seed)\n"
        "history = {'loss': [], 'accuracy': []}\n"
        "for epoch in range(epochs):\n"
        "    rate = step_decay(learning_rate, epoch, drop, every)\n"
        "    for batch in mini_batches(X, Y, batch_size, seed + epoch):\n"
        "        AL, caches = forward(batch[0], params, activations)\n"
        "        grads = backward(AL, batch[1], caches, activations)\n"
        "        params = update(params, grads, rate)\n"
        "    prediction = forward(X, params, activations)[0]\n"
        "    history['loss'] += [binary_cross_entropy(prediction, Y)]\n"
        "    history['accuracy'] += [accuracy(prediction, Y)]\n"
        "    if callback is not None:\n"
        "        callback(epoch, params, history)\n"
        "return params, history",
    ],
    "random_search": [
        "rng = np.random.default_rng(seed)\n"
        "exponents = rng.uniform(np.log10(rates[0]), np.log10(rates[1]), size=trials)\n"
        "chosen = rng.choice(widths, size=trials)\n"
        "results = [{'learning_rate': 10 ** e, 'width': w, 'score': score(10 ** e, w)}\n"
        "           for e, w in zip(exponents, chosen)]\n"
        "best = results[int(np.argmax([r['score'] for r in results]))]\n"
        "return best, results",
        "import math\n"
        "rng = np.random.default_rng(seed)\n"
        "results, best = [], None\n"
        "for _ in range(trials):\n"
        "    rate = math.exp(rng.uniform(math.log(rates[0]), math.log(rates[1])))\n"
        "    width = widths[rng.integers(len(widths))]\n"
        "    result = {'learning_rate': rate, 'width': width, 'score': score(rate, width)}\n"
        "    results.append(result)\n"
        "    if best is None or result['score'] > best['score']:\n"
        "        best = result\n"
        "return best, results",
    ],
}
