"""The day-by-day evaluation's feeds: an undated article comes with the feed of the article before it."""

from benchmarks.eval_index import feed_days


def test_undated_articles_come_with_the_feed_before_them_or_last():
    days = [None, 5, None, 7, None]
    assert feed_days(days, undated_last=False) == [5, 5, 5, 7, 7]
    assert feed_days(days, undated_last=True) == days
    assert feed_days([None, None], undated_last=False) == [None, None]
