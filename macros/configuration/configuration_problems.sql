{#- Every problem with the project's vars that can be seen without the warehouse, as a list of
    messages, each naming the var (and the rule): types, allowed values and ranges of every var
    dbt_project.yml declares, and the Minimum Viable Lead's, the retirement rules' and the scorecard's declarations
    (rule_declaration). validate_configuration reports them all at once. -#}
{% macro configuration_problems() -%}
    {%- set problems = [] -%}
    {%- do problems.extend(mvl_rule_declaration()['problems']) -%}
    {%- do problems.extend(retirement_rule_declaration()['problems']) -%}
    {%- do problems.extend(scorecard_metric_declaration()['problems']) -%}

    {#- Probabilities and similarities: numbers from 0 to 1. -#}
    {%- for name in ['person_pair_threshold', 'person_match_threshold', 'account_match_threshold',
                     'account_ambiguity_margin', 'account_fuzzy_name_similarity', 'review_sample_near_share'] -%}
        {%- set value = var(name) -%}
        {%- if value is boolean or value is not number or value < 0 or value > 1 -%}
            {%- do problems.append(name ~ " is '" ~ value ~ "'; expected a number from 0 to 1") -%}
        {%- endif -%}
    {%- endfor -%}

    {#- Counts and seeds: whole numbers; the review sample's band: a positive number (match weight). -#}
    {%- for name, least in [('review_sample_size', 1), ('review_sample_seed', 0)] -%}
        {%- set value = var(name) -%}
        {%- if value is boolean or value is not integer or value < least -%}
            {%- do problems.append(name ~ " is '" ~ value ~ "'; expected a whole number, " ~ least ~ " or more") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set band = var('review_sample_weight_band') -%}
    {%- if band is boolean or band is not number or band <= 0 -%}
        {%- do problems.append("review_sample_weight_band is '" ~ band ~ "'; expected a number above 0 (match weight units)") -%}
    {%- endif -%}

    {#- Days: whole numbers. -#}
    {%- for name, least in [('enrichment_ttl_days', 0), ('stale_after_days', 1)] -%}
        {%- set value = var(name) -%}
        {%- if value is boolean or value is not integer or value < least -%}
            {%- do problems.append(name ~ " is '" ~ value ~ "'; expected a whole number of days, " ~ least ~ " or more") -%}
        {%- endif -%}
    {%- endfor -%}

    {#- Lists of names and of text. -#}
    {%- for name, kind in [('placeholder_values', 'text'), ('enrichment_providers', 'name'),
                           ('steward_fixable_fields', 'name')] -%}
        {%- set value = var(name) -%}
        {%- if value is string or value is mapping or value is not sequence -%}
            {%- do problems.append(name ~ " is '" ~ value ~ "'; expected a list") -%}
        {%- else -%}
            {%- for item in value if item is not string
                or (kind == 'name' and not modules.re.match('^[a-z][a-z0-9_]*$', item)) -%}
                {%- do problems.append(
                    name ~ ": '" ~ item ~ "' is not " ~ ('text' if kind == 'text' else 'a lower-case name')
                ) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set fixable = var('steward_fixable_fields') -%}
    {%- if fixable is sequence and fixable is not string and fixable is not mapping -%}
        {%- for field in fixable if field is string and field not in lead_record_columns() + ['country'] -%}
            {%- do problems.append(
                "steward_fixable_fields: '" ~ field ~ "' is not a field of a lead record (one of country, "
                ~ lead_record_columns() | join(', ') ~ ")"
            ) -%}
        {%- endfor -%}
    {%- endif -%}

    {#- The enrichment waterfall: per field, sources in order. -#}
    {%- set precedence = var('enrichment_precedence') -%}
    {%- set providers = var('enrichment_providers') if var('enrichment_providers') is sequence else [] -%}
    {%- if precedence is not mapping -%}
        {%- do problems.append("enrichment_precedence is '" ~ precedence ~ "'; expected a mapping of field to sources") -%}
    {%- else -%}
        {%- for field_name, sources in precedence.items() -%}
            {%- set allowed = ['steward', 'record']
                + (['crm_account'] if field_name in ['company_name', 'country'] else []) + providers | list -%}
            {%- if field_name not in enrichment_fields() -%}
                {%- do problems.append(
                    "enrichment_precedence: '" ~ field_name ~ "' is not a field enrichment fills (one of "
                    ~ enrichment_fields() | join(', ') ~ ")"
                ) -%}
            {%- elif sources is string or sources is mapping or sources is not sequence -%}
                {%- do problems.append("enrichment_precedence: " ~ field_name ~ " is '" ~ sources ~ "'; expected a list of sources") -%}
            {%- else -%}
                {%- for source_name in sources if source_name not in allowed -%}
                    {%- do problems.append(
                        "enrichment_precedence: " ~ field_name ~ " names source '" ~ source_name
                        ~ "', which is none of " ~ allowed | join(', ')
                    ) -%}
                {%- endfor -%}
                {%- if sources | unique | list | length != sources | length -%}
                    {%- do problems.append("enrichment_precedence: " ~ field_name ~ " names a source twice") -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {#- Person matching. -#}
    {%- set blocking = var('person_blocking_rules') -%}
    {%- if blocking is string or blocking is mapping or blocking is not sequence or not blocking -%}
        {%- do problems.append("person_blocking_rules is '" ~ blocking ~ "'; expected a list of lists of columns") -%}
    {%- else -%}
        {%- for rule in blocking if rule is string or rule is mapping or rule is not sequence or not rule -%}
            {%- do problems.append(
                "person_blocking_rules: rule " ~ loop.index ~ " is '" ~ rule ~ "'; expected a list of columns"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if var('person_model_path') is not string -%}
        {%- do problems.append("person_model_path is '" ~ var('person_model_path') ~ "'; expected a file path or empty") -%}
    {%- endif -%}

    {#- The as-of date. -#}
    {%- set as_of_problem = lifecycle_as_of_problem(var('lifecycle_as_of', '')) -%}
    {%- if as_of_problem -%}{%- do problems.append(as_of_problem) -%}{%- endif -%}
    {%- set clock_problem = factory_run_started_at_problem(var('factory_run_started_at', '')) -%}
    {%- if clock_problem -%}{%- do problems.append(clock_problem) -%}{%- endif -%}
    {{ return(problems) }}
{%- endmacro %}
