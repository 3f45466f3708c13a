{#- Every CRM account an inbound lead may belong to, one row per lead and account, with the
    account's strongest evidence and its rank among the lead's candidates. Beside the lead's own
    evidence (int_account_match_evidence), a lead takes the account that the same person's other
    records match clearly (same_person): the same person works at one company. -#}
with

leads as (
    select * from {{ ref('int_person_records_prepared') }}
    where record_type = 'lead'
),

person_records as (
    select * from {{ ref('int_persons_clustered') }}
),

evidence as (
    select * from {{ ref('int_account_match_evidence') }}
),

direct_best as (
    -- Each lead's best account from its own evidence, when it stands clear of any other account.
    select
        record_id,
        account_id
    from evidence
    where match_confidence >= {{ var('account_match_threshold') }}
    qualify
        row_number() over (partition by record_id order by match_confidence desc, account_id asc) = 1
        and count(distinct account_id) over (partition by record_id) = 1
),

by_same_person as (
    select
        leads.record_id,
        direct_best.account_id,
        'same_person' as match_method,
        0.93 as match_confidence
    from leads
    inner join person_records as lead_person on leads.record_id = lead_person.record_id
    inner join person_records as other_record
        on lead_person.person_id = other_record.person_id and lead_person.record_id != other_record.record_id
    inner join direct_best on other_record.record_id = direct_best.record_id
),

best_per_account as (
    -- Each account's strongest evidence for the lead.
    select
        record_id,
        account_id,
        match_method,
        match_confidence
    from (
        select * from evidence
        union all
        select * from by_same_person
    ) as candidates
    qualify row_number() over (
        partition by record_id, account_id order by match_confidence desc, match_method asc
    ) = 1
),

final as (
    select
        record_id,
        account_id,
        match_method,
        match_confidence,
        row_number() over (partition by record_id order by match_confidence desc, account_id asc) as candidate_rank
    from best_per_account
)

select * from final
