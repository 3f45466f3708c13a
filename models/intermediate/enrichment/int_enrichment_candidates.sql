{#- Every value the enrichment waterfall can take for a record's field, one row per record, field,
    source and answer: the record's own value (a steward's fix or the record's) and what the CRM
    account and each provider say about the record's company domain and its deliverable email
    (int_enrichment_answers; a company's answer ranks before a person's answer of one source).
    precedence_rank is the source's place in var enrichment_precedence for the field
    (int_enrichment_precedence), null where the deployment does not take that source. -#}
with

leads as (
    select * from {{ ref('int_leads_fixed') }}
),

answers as (
    select * from {{ ref('int_enrichment_answers') }}
),

precedence as (
    select * from {{ ref('int_enrichment_precedence') }}
),

own_values as (
    unpivot (
        select
            record_id,
            fixed_fields,
            last_fixed_at,
            loaded_at,
            company_name,
            country_code as country,
            city,
            job_title,
            first_name,
            last_name
        from leads
    )
    on company_name, country, city, job_title, first_name, last_name
    into name field_name value field_value
),

own as (
    select
        record_id,
        field_name,
        case when list_contains(fixed_fields, field_name) then 'steward' else 'record' end as source_name,
        1 as answer_rank,
        field_value,
        case when list_contains(fixed_fields, field_name) then last_fixed_at else loaded_at end as sourced_at
    from own_values
    -- A company field reading "Freelance" and the like names no company, unless a steward set it.
    where
        list_contains(fixed_fields, field_name)
        or field_name != 'company_name'
        or not {{ is_non_company_name('field_value') }}
),

lookups as (
    -- What a record is looked up by: its company domain (a company's answer comes first) and its
    -- deliverable email (a person's answer).
    select
        record_id,
        'company_by_domain' as request_type,
        {{ company_domain() }} as lookup_key,
        1 as answer_rank
    from leads
    union all
    select
        record_id,
        'person_by_email' as request_type,
        case when {{ is_deliverable_email() }} then email end as lookup_key,
        2 as answer_rank
    from leads
),

from_answers as (
    select
        lookups.record_id,
        answers.field_name,
        answers.source_name,
        lookups.answer_rank,
        answers.field_value,
        answers.answered_at as sourced_at
    from lookups
    inner join answers on lookups.request_type = answers.request_type and lookups.lookup_key = answers.lookup_key
),

candidates as (
    select * from own
    union all
    select * from from_answers
),

final as (
    select
        candidates.record_id,
        candidates.field_name,
        candidates.source_name,
        candidates.answer_rank,
        candidates.field_value,
        candidates.sourced_at,
        candidates.source_name not in ('steward', 'record') as is_enrichment,
        precedence.precedence_rank
    from candidates
    left join precedence
        on candidates.field_name = precedence.field_name and candidates.source_name = precedence.source_name
)

select * from final
