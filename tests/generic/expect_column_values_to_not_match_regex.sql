{#- Expectation: the regular expression (RE2, as DuckDB's regexp_matches) matches nowhere in any
    value; nulls are ignored. Fails with every row it matches. Arguments: column_name, regex,
    row_condition (optional filter), is_raw (accepted for dbt_expectations compatibility; DuckDB
    string literals keep backslashes as written), flags (DuckDB regex options, e.g. "i"), mostly
    (optional, this project's extension, default 1). -#}
{% test expect_column_values_to_not_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags="", mostly=1) %}
{{ expectation_row_failures(model, "not " ~ expectation_regex_match(column_name, regex, flags), row_condition, mostly) }}
{% endtest %}
