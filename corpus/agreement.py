"""Agreement of a clustering with a labelled sample: B-cubed precision,
recall and F1, as `calibrate`, `make eval` and `make bench` report them."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def bcubed(predicted: Sequence, gold: Sequence) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels, averaged over items."""
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold labels differ in length")
    if not len(gold):
        return 0.0, 0.0, 0.0
    pred = np.unique(np.asarray([str(p) for p in predicted]), return_inverse=True)[1]
    true = np.unique(np.asarray([str(g) for g in gold]), return_inverse=True)[1]
    both = np.unique(pred * (true.max() + 1) + true, return_inverse=True, return_counts=True)
    overlap = both[2][both[1]]
    precision = float(np.mean(overlap / np.bincount(pred)[pred]))
    recall = float(np.mean(overlap / np.bincount(true)[true]))
    return precision, recall, 2 * precision * recall / (precision + recall)
