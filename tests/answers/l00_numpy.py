"""Lesson 0 (NumPy arrays): typical wrong answers and correct alternatives."""

from tests.answers import Wrong

WRONG = {
    "total_and_mean": [
        Wrong("return np.mean(sales), np.sum(sales)", "Return (total, mean), in that order"),
        Wrong("return np.sum(sales)", "should return a tuple of 2 values"),
        Wrong("return np.sum(sales), np.sum(sales) // len(sales)", "is off by 0.8"),
    ],
    "quarter_means": [
        Wrong("return records.mean(axis=1)", "one mean per year"),
        Wrong("return records.mean()", "You averaged every number of the table into one"),
        Wrong("return records.sum(axis=0)", "Those are the quarters' totals"),
        Wrong("return records.sum(axis=0) / records.shape[1]", "0.75 times the expected one"),
        Wrong("return records.mean(axis=0, keepdims=True)", "an axis of length 1 is extra"),
    ],
    "good_years": [
        Wrong("return sales > threshold", "That is the mask itself"),
        Wrong("return sales[sales > threshold]", "return the years themselves"),
        Wrong("return years[sales >= threshold]", "use >, not >="),
        Wrong("return np.where(sales > threshold)[0]", "positions of the good years"),
        Wrong("return years[years > threshold]", "the expected shape is (2,)"),
    ],
    "add_to_each_year": [
        Wrong("return records + extra", "You added extra along each row"),
        Wrong("return records + extra.reshape(1, -1)", "You added extra along each row"),
        Wrong("records += extra[:, np.newaxis]\nreturn records", "changed the arrays it was given"),
        Wrong("return records * extra[:, np.newaxis]", "values are wrong"),
    ],
    "log_or_zero": [
        Wrong("return np.where(x > 0, np.log(x), 0.0)", "np.where computes both of its branches"),
        Wrong("return np.log(x)", "np.log(0) is -inf"),
        Wrong("return np.log(np.where(x > 0, x, 0.0))", "np.log(0) is -inf"),
        Wrong("return np.log(np.maximum(x, 1.0))", "1 of 3 values are wrong"),
    ],
}

RIGHT = {
    "total_and_mean": [
        "return sales.sum(), sales.sum() / len(sales)",
        "total = 0.0\nfor s in sales:\n    total += s\nreturn total, total / len(sales)",
    ],
    "quarter_means": [
        "return np.mean(records, axis=0)",
        "return records.sum(axis=0) / records.shape[0]",
        "return records.T.mean(axis=1)",
    ],
    "good_years": [
        "return years[np.where(sales > threshold)]",
        "return np.array([y for y, s in zip(years, sales) if s > threshold])",
        "mask = sales > threshold\nreturn np.compress(mask, years)",
    ],
    "add_to_each_year": [
        "return records + extra.reshape(-1, 1)",
        "return (records.T + extra).T",
        "out = records + 0.0\nfor i in range(len(extra)):\n    out[i] = out[i] + extra[i]\nreturn out",
    ],
    "log_or_zero": [
        "safe = np.where(x > 0, x, 1.0)\nreturn np.log(safe)",
        "out = np.zeros(x.shape)\nout[x > 0] = np.log(x[x > 0])\nreturn out",
        "with np.errstate(divide='ignore', invalid='ignore'):\n"
        "    return np.where(x > 0, np.log(x), 0.0)",
    ],
}
