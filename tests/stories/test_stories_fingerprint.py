"""Shingles, MinHash signatures, their storage form, content hashes and Jaccard."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.arabic import normalize
from khabar.stories.fingerprint import (
    DEFAULT_NUM_PERM,
    FUNCTION_WORDS,
    content_hash,
    fingerprint,
    from_signature_bytes,
    jaccard,
    minhash,
    shingle_hashes,
    shingles,
    signature_bytes,
    text_words,
)

STORY = (
    "قرر البنك المركزي الأردني اليوم الخميس رفع أسعار الفائدة بمقدار 25 نقطة أساس، ليصل سعر "
    "الفائدة الرئيسي إلى 7.75 في المئة. وقال البنك في بيان إن قراره يأتي في إطار الحفاظ على "
    "جاذبية الأصول المقومة بالدينار وتعزيز الاستقرار النقدي."
)


def test_shingles_are_word_k_grams_of_the_index_form() -> None:
    assert shingles("Hello, عالَمٌ ٣ أحمد!", 2, drop_function_words=False) == {
        "hello عالم",
        "عالم 3",
        "3 احمد",
    }


def test_spelling_variants_give_the_same_shingles() -> None:
    variant = (
        STORY.replace("أ", "ا")
        .replace("إ", "ا")
        .replace("25", "٢٥")
        .replace("7.75", "٧٫٧٥")
        .replace("الفائدة", "الفـائـدة")
        .replace("البنك", "البَنْك")
    )
    assert shingles(variant) == shingles(STORY)
    assert content_hash(variant) == content_hash(STORY)


def test_text_shorter_than_k_is_one_shingle() -> None:
    assert shingles("عاجل انفجار", 5) == {"عاجل انفجار"}
    assert shingles("", 5) == set()
    assert shingles("،!؟ ...", 3) == set()


def test_function_words_can_be_dropped() -> None:
    kept = text_words("قال الوزير في بيان إن الحكومة")
    dropped = text_words("قال الوزير في بيان إن الحكومة", drop_function_words=True)
    assert kept == ["قال", "الوزير", "في", "بيان", "ان", "الحكومه"]
    assert dropped == ["قال", "الوزير", "بيان", "الحكومه"]
    assert normalize("إلى") in FUNCTION_WORDS


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shingles(STORY, 0)


def test_shingle_hashes_match_the_shingles() -> None:
    hashes = shingle_hashes(STORY, 3)
    assert hashes.dtype == np.uint32
    assert len(hashes) == len(shingles(STORY, 3))
    assert list(hashes) == sorted(set(hashes.tolist()))


def test_minhash_is_deterministic_within_and_across_processes() -> None:
    first = minhash(STORY)
    assert np.array_equal(first.hashvalues, minhash(STORY).hashvalues)
    code = (
        "import sys; from khabar.stories.fingerprint import minhash, signature_bytes; "
        "sys.stdout.write(signature_bytes(minhash(sys.argv[1])).hex())"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, STORY], capture_output=True, text=True, env=env, check=True
    )
    assert bytes.fromhex(out.stdout) == signature_bytes(first)


def test_minhash_estimates_jaccard() -> None:
    edited = STORY.replace("الخميس", "الأربعاء").replace("النقدي", "المالي")
    exact = jaccard(shingles(STORY), shingles(edited))
    assert abs(minhash(STORY).jaccard(minhash(edited)) - exact) < 0.15


def test_signature_round_trip() -> None:
    signature = minhash(STORY)
    stored = signature_bytes(signature)
    assert len(stored) == 8 + 4 * DEFAULT_NUM_PERM
    restored = from_signature_bytes(stored)
    assert restored == signature
    other = minhash(STORY + " وأضاف البنك أنه سيواصل متابعة التطورات.")
    assert restored.jaccard(other) == signature.jaccard(other)
    small = minhash(STORY, num_perm=16)
    assert from_signature_bytes(signature_bytes(small)) == small


def test_restored_signature_can_still_be_updated() -> None:
    restored = from_signature_bytes(signature_bytes(minhash(STORY)))
    restored.update_batch([1, 2, 3])
    assert len(restored) == DEFAULT_NUM_PERM


@pytest.mark.parametrize(
    "data",
    [b"", b"KM", b"XX" + bytes(6 + 4 * 128), signature_bytes(minhash(STORY))[:-4]],
)
def test_bad_stored_signatures_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="signature"):
        from_signature_bytes(data)


def test_foreign_minhash_cannot_be_stored() -> None:
    with pytest.raises(ValueError, match="minhash"):
        signature_bytes(MinHash(num_perm=128, seed=1))


def test_content_hash_ignores_spacing_and_punctuation_not_numbers() -> None:
    assert content_hash("مقتل 3 أشخاص.") == content_hash("  مقتل   3\nأشخاص ")
    assert content_hash("مقتل 3 أشخاص") != content_hash("مقتل 5 أشخاص")
    assert len(content_hash("")) == 64


def test_jaccard_of_sets_and_arrays() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 0.0
    a = np.array([1, 2, 3], dtype=np.uint32)
    b = np.array([2, 3, 4, 5], dtype=np.uint32)
    assert jaccard(a, b) == pytest.approx(2 / 5)
    with pytest.raises(TypeError):
        jaccard({"a"}, a)


def test_fingerprint_holds_everything_in_one_pass() -> None:
    fp = fingerprint(STORY, 3)
    assert fp.words == len(text_words(STORY))
    assert fp.digest == content_hash(STORY)
    assert np.array_equal(fp.hashes, shingle_hashes(STORY, 3))
    assert fp.signature == minhash(STORY, k=3)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=6))
def test_any_text_fingerprints_without_error(text: str, k: int) -> None:
    found = shingles(text, k)
    hashes = shingle_hashes(text, k)
    assert len(hashes) == len(found)
    signature = minhash(text, num_perm=16, k=k)
    assert from_signature_bytes(signature_bytes(signature)) == signature
    assert len(content_hash(text)) == 64
    assert fingerprint(text, k, 16).words >= 0


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_shingles_of_the_index_form_are_the_same(text: str) -> None:
    assert shingles(normalize(text)) == shingles(text)
    assert content_hash(normalize(text)) == content_hash(text)
