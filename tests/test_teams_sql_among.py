"""reflect.teams.sql.among: a column is one of some ids, on SQLite and PostgreSQL alike (there
the ids go as one array's text)."""

import pytest
from django.db import connection

from reflect.teams import sql


@pytest.mark.django_db
@pytest.mark.parametrize("ids, expected", [
    ([2, 3, 9], [2, 3]),
    ([3], [3]),
    ([], []),
    ([None], []),
    ([None, 1], [1]),
    (list(range(4, 600)), [4, 5]),
])
def test_it_matches_the_rows_whose_column_is_one_of_the_ids(ids, expected):
    condition, params = sql.among(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL "
            f"SELECT 4 UNION ALL SELECT 5) AS t WHERE n {condition} ORDER BY n", params
        )
        assert [n for (n,) in cursor.fetchall()] == expected
