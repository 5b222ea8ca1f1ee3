"""Rebuild the bundled propaganda model from the shared sample data.

    python -m benchmarks.monitoring.default_model

Trains on every post-level label there is: the isextreme hand labels and the
Fifth Tribe rows with a per-post EXTREME annotation. Account-level Fifth
Tribe labels are left out on purpose: they teach the model who posted
(2015 fanboy accounts) rather than what propaganda says (see
docs/monitoring.md). Prints only counts, never post text.
"""

from __future__ import annotations

import json
import sys

from accord.monitoring.classifier import default_model_path, train
from benchmarks.monitoring import data


def main() -> None:
    if not data.available():
        sys.exit(f"sample data not found under {data.DATA}")
    posts = data.isextreme() + data.fifth_tribe(annotated_only=True)
    model = train(
        [post.text for post in posts],
        [post.label for post in posts],
        [post.account for post in posts],
    )
    model.info.update(
        source="isextreme hand labels + Fifth Tribe EXTREME annotations",
        accounts=len({post.account for post in posts}),
    )
    path = default_model_path()
    model.save(path)
    print(json.dumps({"model": str(path), "bytes": path.stat().st_size, **model.info}))


if __name__ == "__main__":
    main()
