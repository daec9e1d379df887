"""Language and relevance stages measured against the sample web's truth (two seeds)."""
import pytest

from benchmarks.quality import measure


@pytest.mark.parametrize("seed", [7, 3])
def test_language_and_relevance_on_sample_web(seed):
    q = measure(seed)
    assert q.pages >= 320 and not q.failed
    print(f"seed {seed}: language {q.language_accuracy:.3f}, precision {q.precision:.3f}, recall {q.recall:.3f}")
    assert q.language_accuracy == 1.0, q.language_wrong[:5]
    assert q.precision >= 0.95, q.false_pos[:5]
    assert q.recall >= 0.95, q.false_neg[:5]
