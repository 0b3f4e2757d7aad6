"""Bad-input suite for split sequence tables (`sciml enhancers train --table --valid-table --test-table`).

A corrupted validation or test table must be accepted (then its rows keep their split) or raise
`InputError` naming that table, before any training; a length that differs from the training
table's is named with its record.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from readers import READER_SETTINGS, accepted_or_named

from sciml.enhancers.pipeline import load_sequences

TRAIN = "sequence,label\nACGTACGT,1\nacgtNNGG,0\nGGGGCCCC,1\n"
HELD_OUT = "sequence,label\nTTTTACGT,0\nACGTACGA,1\n"


@READER_SETTINGS
@given(which=st.sampled_from(["valid", "test"]), position=st.integers(0, len(HELD_OUT)),
       junk=st.text(min_size=1, max_size=3))
def test_a_corrupted_held_out_table_is_named(tmp_path_factory, which, position, junk):
    folder = tmp_path_factory.mktemp("split")
    paths = {name: folder / f"{name}.csv" for name in ("train", "valid", "test")}
    paths["train"].write_text(TRAIN)
    for name in ("valid", "test"):
        text = HELD_OUT[:position] + junk + HELD_OUT[position:] if name == which else HELD_OUT
        paths[name].write_text(text, encoding="utf-8")
    found = accepted_or_named(lambda: load_sequences(table=paths["train"], sequence_column="sequence",
                                                     target_column="label", valid_table=paths["valid"],
                                                     test_table=paths["test"]), paths[which])
    if found is not None:
        assert list(found.split[:3]) == ["train"] * 3 and set(found.split[3:]) == {"valid", "test"}
        assert {len(s) for s in found.sequences} == {8}
        assert set(found.labels[:, 0]) <= {0.0, 1.0}
