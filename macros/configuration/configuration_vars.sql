{#- The names of the vars the project declares (dbt_project.yml), to tell a misspelt var given on
    the command line from one the project knows. tests/test_configuration.py keeps this list equal
    to dbt_project.yml's. -#}
{% macro configuration_vars() -%}
    {{ return([
        'placeholder_values', 'person_model_path', 'person_blocking_rules', 'person_pair_threshold',
        'person_match_threshold', 'account_match_threshold', 'account_ambiguity_margin', 'account_fuzzy_name_similarity',
        'review_sample_size', 'review_sample_near_share', 'review_sample_weight_band', 'review_sample_seed',
        'mvl_rules', 'mvl_rule_overrides', 'mvl_extra_rules', 'enrichment_providers',
        'enrichment_ttl_days', 'enrichment_precedence', 'steward_fixable_fields', 'retirement_rules',
        'retirement_rule_overrides', 'retirement_extra_rules', 'stale_after_days', 'lifecycle_as_of',
        'factory_run_started_at',
        'scorecard_metrics', 'scorecard_metric_overrides', 'scorecard_extra_metrics',
    ]) }}
{%- endmacro %}
