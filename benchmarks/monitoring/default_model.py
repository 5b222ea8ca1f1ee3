"""Rebuild the bundled propaganda model from the shared sample data.

    python -m benchmarks.monitoring.default_model

Trains on the post-level labels that mean "pro-ISIS": the isextreme hand
labels and the Fifth Tribe rows annotated EXTREME = 1. The Fifth Tribe rows
annotated 0 are left out: they come from supporter accounts and are 0
because their language is not explicitly extreme (relays of the group's own
news agency among them), which contradicts isextreme's definition. The
account-level Fifth Tribe labels are left out too: they teach the model who
posted (2015 fanboy accounts) rather than what propaganda says (see
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
    extreme = [p for p in data.fifth_tribe(annotated_only=True) if p.label == 1]
    posts = data.isextreme() + extreme
    model = train(
        [post.text for post in posts],
        [post.label for post in posts],
        [post.account for post in posts],
    )
    model.info.update(
        source="isextreme hand labels + Fifth Tribe posts annotated EXTREME = 1",
        accounts=len({post.account for post in posts}),
    )
    path = default_model_path()
    model.save(path)
    print(json.dumps({"model": str(path), "bytes": path.stat().st_size, **model.info}))


if __name__ == "__main__":
    main()
