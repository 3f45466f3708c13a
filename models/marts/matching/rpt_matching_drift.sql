{#- Whether the person records have drifted from the data the matching model was trained on, as
    measured by this build (int_person_match_drift), for the scorecard and the build's warning. -#}
with

drift as (
    select * from {{ ref('int_person_match_drift') }}
),

final as (
    select
        field_name,
        trained_fill_rate,
        current_fill_rate,
        trained_top_share,
        current_top_share,
        is_drifted,
        drift_reason,
        {{ build_started_at() }} as measured_at
    from drift
)

select * from final
