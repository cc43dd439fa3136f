"""The same linkage on Apache Spark (issue 4): local mode, a few hundred records, the same
saved model, the same clusters as DuckDB. Needs Java 17 (pyspark 4)."""

import pytest

from carepath.people.linkage import LinkageModel, PersonRecord, link, spark_session, train
from tests.people.test_link_people_command import dirty_copies
from tests.people.test_linkage import county_records, hard_records

# The engine touches no database: the PostgreSQL pass of `make test` skips it.
pytestmark = pytest.mark.no_database


@pytest.fixture(scope="module")
def spark():
    session = spark_session(driver_memory="1g")
    yield session
    session.stop()


def test_spark_local_mode_gives_the_same_clusters_as_duckdb(spark):
    records, truth = county_records(seed=3, scale=0.02)
    hard, _ = hard_records()
    # Records as other agencies write them: dates that are no real dates, swapped names,
    # initials, stray punctuation (every kind of comparison level, in Spark's SQL too).
    rows, _ = dirty_copies(records)
    dirty = [
        PersonRecord(
            record_id=rid, first_name=first, last_name=last, date_of_birth=dob, address=address, postcode=postcode
        )
        for rid, first, last, dob, address, postcode, *_ in rows
    ]
    records += hard + dirty
    model = LinkageModel.from_json(train(records).to_json())  # a saved model, as the command uses
    on_duckdb = link(records, model=model)
    on_spark = link(records, model=model, backend="spark", spark=spark)
    assert on_spark.clusters == on_duckdb.clusters
    assert len(set(on_duckdb.clusters.values())) < len(records) - 50  # there were duplicates to link
    assert [(p.record_id_l, p.record_id_r) for p in on_spark.pairs] == [
        (p.record_id_l, p.record_id_r) for p in on_duckdb.pairs
    ]
    for a, b in zip(on_spark.pairs, on_duckdb.pairs, strict=True):
        assert a.match_weight == pytest.approx(b.match_weight, abs=1e-6)
