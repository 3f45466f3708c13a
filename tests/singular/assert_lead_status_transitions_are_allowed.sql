{#- The lifecycle is a state machine: every change of a record's lifecycle status in the status
    history must be one the lifecycle_transitions seed allows. Fails with the impossible ones. -#}
{{ config(severity='error') }}

select
    transitions.record_id,
    transitions.from_status,
    transitions.to_status,
    transitions.changed_at
from {{ ref('fct_lead_status_transitions') }} as transitions
left join {{ ref('lifecycle_transitions') }} as allowed
    on transitions.from_status = allowed.from_status and transitions.to_status = allowed.to_status
where
    transitions.from_status is not null
    and transitions.from_status != transitions.to_status
    and allowed.from_status is null
