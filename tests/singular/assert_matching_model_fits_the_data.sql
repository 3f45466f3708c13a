{#- Warns (never fails) when the person records have drifted from the data the matching model was
    trained on: a field filled far more or less often, or its values far more or less concentrated,
    than in training (rpt_matching_drift). Re-train with `lead-factory train` (docs/matching.md). -#}
{{ config(severity='warn') }}

select
    field_name,
    drift_reason
from {{ ref('rpt_matching_drift') }}
where is_drifted
