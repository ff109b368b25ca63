"""mining.nlp.sharing: rows reused from a batch's matrix."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from mining.nlp.sharing import take_rows


def testtake_rows_is_scipy_row_indexing():
    rng = np.random.default_rng(0)
    dense = rng.random((30, 12)) * (rng.random((30, 12)) < 0.3)
    dense[[3, 17]] = 0  # empty rows too
    matrix = sp.csr_matrix(dense)
    for rows in ([5, 3, 3, 29, 0, 17], list(range(30))[::-1], [17], []):
        taken, expected = take_rows(matrix, rows), matrix[rows]
        assert taken.shape == expected.shape == (len(rows), 12)
        assert np.array_equal(taken.indptr, expected.indptr) and np.array_equal(taken.indices, expected.indices)
        assert np.array_equal(taken.data, expected.data)
