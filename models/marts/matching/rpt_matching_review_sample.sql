{#- The pairs drawn for review (int_person_pairs_sampled_for_review) as a sheet to fill in: first
    the columns of the review landing format (reviews/*.csv), empty where the reviewer writes, then
    the stratum, the score and the two records' fields side by side, to decide by. -#}
with

sampled as (
    select * from {{ ref('int_person_pairs_sampled_for_review') }}
),

records as (
    select * from {{ ref('int_person_records_unioned') }}
),

final as (
    select
        'RS-' || substr({{ dbt.hash("sampled.record_id_l || '|' || sampled.record_id_r") }}, 1, 16) as decision_id,
        null::varchar as decision,
        sampled.record_id_l as record_id,
        sampled.record_id_r as other_record_id,
        null::varchar as account_id,
        null::varchar as decided_by,
        null::varchar as decided_at,
        null::varchar as note,
        sampled.sample_stratum,
        sampled.sample_rank,
        sampled.match_probability,
        sampled.match_weight,
        left_record.source_system as source_system_l,
        right_record.source_system as source_system_r,
        left_record.first_name as first_name_l,
        right_record.first_name as first_name_r,
        left_record.last_name as last_name_l,
        right_record.last_name as last_name_r,
        left_record.email as email_l,
        right_record.email as email_r,
        left_record.phone as phone_l,
        right_record.phone as phone_r,
        left_record.company_name as company_name_l,
        right_record.company_name as company_name_r,
        left_record.job_title as job_title_l,
        right_record.job_title as job_title_r,
        left_record.street as street_l,
        right_record.street as street_r,
        left_record.postal_code as postal_code_l,
        right_record.postal_code as postal_code_r,
        left_record.city as city_l,
        right_record.city as city_r,
        left_record.country_code as country_code_l,
        right_record.country_code as country_code_r
    from sampled
    inner join records as left_record on sampled.record_id_l = left_record.record_id
    inner join records as right_record on sampled.record_id_r = right_record.record_id
)

select * from final
