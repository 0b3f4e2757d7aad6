import numpy as np

from sciml.hic.tads import boundary_f1, call_boundaries, insulation_score, tune_boundary_calling


def test_insulation_finds_planted_boundaries(small_chrom):
    clean = small_chrom.expected / np.outer(small_chrom.bias, small_chrom.bias)
    valid = ~small_chrom.dead
    score = insulation_score(clean * np.outer(valid, valid), 5, valid)
    called = call_boundaries(score, 0.1)
    assert boundary_f1(called, small_chrom.boundaries)["f1"] > 0.85


def test_boundary_f1_counts_matches_once():
    assert boundary_f1(np.array([10, 11, 30]), np.array([10, 30]))["f1"] == 0.8
    perfect = boundary_f1(np.array([9, 31]), np.array([10, 30]), tolerance=1)
    assert perfect == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert boundary_f1(np.array([]), np.array([5]))["f1"] == 0.0


def test_insulation_of_two_blocks_dips_at_the_junction():
    m = np.full((40, 40), 1.0)
    m[:20, :20] = m[20:, 20:] = 5.0
    score = insulation_score(m, 4)
    assert np.nanargmin(score) == 20


def test_tuning_picks_the_setting_with_the_best_validation_f1(small_chrom):
    clean = small_chrom.expected / np.outer(small_chrom.bias, small_chrom.bias)
    valid = ~small_chrom.dead
    maps = [(clean * np.outer(valid, valid), valid, small_chrom.boundaries)]
    window, prominence, prominence_window, mask_distance, f1 = tune_boundary_calling(
        maps, [3, 5], [0.1, 5.0], [0, 7], [0, 2])
    assert prominence == 0.1  # a prominence of 5 log2 units calls nothing
    assert prominence_window in (0, 7) and mask_distance in (0, 2)
    expected = boundary_f1(call_boundaries(insulation_score(maps[0][0], window, valid), 0.1,
                                           prominence_window=prominence_window, valid=valid,
                                           mask_distance=mask_distance), small_chrom.boundaries)["f1"]
    assert f1 == expected and f1 >= boundary_f1(call_boundaries(insulation_score(maps[0][0], 5, valid), 0.1),
                                                small_chrom.boundaries)["f1"]


def test_prominence_window_judges_a_minimum_against_its_neighbourhood_only():
    # a slow trough (depth 1 over 100 bins, minimum at bin 50) and a sharp dip of 0.3 at bin 20
    x = np.arange(100)
    score = 0.5 * np.cos(2 * np.pi * x / 100)
    score[20] -= 0.3
    assert set(call_boundaries(score, 0.2)) == {20, 50}
    # within 7 bins the trough's bottom rises by < 0.01: not a boundary; the sharp dip still is
    assert list(call_boundaries(score, 0.2, prominence_window=7)) == [20]
    assert list(call_boundaries(score, 0.2, prominence_window=0)) == list(call_boundaries(score, 0.2))


def test_mask_distance_drops_calls_next_to_masked_bins_only():
    score = np.zeros(60)
    score[[10, 30, 50]] = -1.0
    valid = np.ones(60, dtype=bool)
    valid[32] = False
    assert list(call_boundaries(score, 0.5, valid=valid)) == [10, 30, 50]  # mask_distance 0 keeps all
    assert list(call_boundaries(score, 0.5, valid=valid, mask_distance=1)) == [10, 30, 50]
    assert list(call_boundaries(score, 0.5, valid=valid, mask_distance=2)) == [10, 50]
