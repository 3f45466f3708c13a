{#- True when a person's name is junk rather than a name: either part is a junk token ("test",
    "asdf"), the whole name is a junk full name ("Mickey Mouse"), or a part is one letter repeated
    ("aaa"). False when both parts are empty (a missing name is not a junk name).
    Arguments: first_name_expr, last_name_expr (SQL giving the cleaned names). -#}
{% macro is_junk_name(first_name_expr, last_name_expr) -%}
    coalesce(
        {{ reference_lookup('junk_name_token', lookup_key(first_name_expr)) }} is not null
        or {{ reference_lookup('junk_name_token', lookup_key(last_name_expr)) }} is not null
        or {{ reference_lookup(
            'junk_name_full_name', lookup_key(first_name_expr ~ " || ' ' || " ~ last_name_expr)
        ) }} is not null
        {%- for part in [first_name_expr, last_name_expr] %}
        or (length({{ part }}) >= 3 and replace(lower({{ part }}), left(lower({{ part }}), 1), '') = '')
        {%- endfor %},
        false
    )
{%- endmacro %}
