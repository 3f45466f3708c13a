{#- Where every inbound record stands in its lifecycle and when it got there: ingested (landed),
    classified, remediated (a steward fix), converted, retired (with the reason) or erased. -#}
with

facts as (
    select * from {{ ref('int_leads_lifecycle_facts') }}
),

milestones as (
    select * from {{ ref('int_lead_milestones_accumulated') }}
),

final as (
    select
        facts.record_id,
        facts.person_id,
        facts.source_system,
        milestones.lifecycle_status,
        facts.mvl_status,
        milestones.status_changed_at,
        facts.loaded_at as ingested_at,
        milestones.first_classified_at as classified_at,
        facts.last_enriched_at as enriched_at,
        facts.last_fixed_at as remediated_at,
        milestones.converted_at,
        case
            when facts.is_existing_contact then 'existing_contact'
            when facts.is_matched_to_account then 'existing_account'
        end as converted_to,
        milestones.retired_at,
        milestones.retirement_reason,
        milestones.erased_at,
        facts.hard_bounced_at,
        facts.unsubscribed_at,
        facts.erasure_requested_at,
        case when facts.is_duplicate_record then facts.first_lead_record_id end as duplicate_of_record_id,
        facts.last_activity_at,
        facts.days_since_last_activity
    from facts
    inner join milestones on facts.record_id = milestones.record_id
)

select * from final
