{#- A declared list of rules as a deployment configured it, and every problem with it: the rules of
    var(base_var) with the attributes in var(overrides_var) applied by rule name (enabled: false
    drops a rule), followed by the rules of var(extra_var). Returns {'rules': [...], 'problems':
    [...], 'origins': {rule: {attribute: var}}}; each problem names the var the faulty value came
    from and the rule. Checks: required
    attributes present, each attribute of its type and allowed values (spec: {attribute: {'type':
    'string' | 'identifier' | 'integer' | 'number' | 'boolean' | 'list', 'values': [...]}}), no unknown
    attribute, names unique lower-case identifiers, every override naming a declared rule. -#}
{% macro rule_declaration(base_var, overrides_var, extra_var, required, spec, noun="rule") -%}
    {%- set problems = [] -%}
    {%- set overrides = var(overrides_var, {}) -%}
    {%- if overrides is none -%}{%- set overrides = {} -%}{%- endif -%}
    {%- if overrides is not mapping -%}
        {%- do problems.append(overrides_var ~ " must be a mapping of " ~ noun ~ " name to attributes, got " ~ overrides) -%}
        {%- set overrides = {} -%}
    {%- endif -%}
    {%- set declared = [] -%}
    {%- for source_var in [base_var, extra_var] -%}
        {%- set listed = var(source_var, []) -%}
        {%- if listed is none -%}{%- set listed = [] -%}{%- endif -%}
        {%- if listed is string or listed is not sequence or listed is mapping -%}
            {%- do problems.append(source_var ~ " must be a list of " ~ noun ~ "s, got " ~ listed) -%}
        {%- else -%}
            {%- for base in listed -%}
                {%- if base is mapping -%}
                    {%- do declared.append({'var': source_var, 'rule': base}) -%}
                {%- else -%}
                    {%- do problems.append(source_var ~ ": entry " ~ loop.index ~ " is not a " ~ noun ~ " (a mapping), got " ~ base) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = [] -%}
    {%- set rules = [] -%}
    {%- set origins = {} -%}
    {%- for entry in declared -%}
        {%- set base = entry.rule -%}
        {%- set override = overrides.get(base.get('name'), {}) if base.get('name') is string else {} -%}
        {%- if override is not mapping -%}
            {%- do problems.append(overrides_var ~ ": " ~ noun ~ " " ~ base.get('name') ~ " must map to attributes, got " ~ override) -%}
            {%- set override = {} -%}
        {%- endif -%}
        {%- set rule = {} -%}
        {%- do rule.update(base) -%}
        {%- do rule.update(override) -%}
        {%- set label = rule.get('name') if rule.get('name') is string and rule.get('name') else '#' ~ loop.index -%}
        {%- do origins.update({label: {}}) -%}
        {%- for attribute in rule -%}
            {%- do origins[label].update({attribute: overrides_var if attribute in override else entry.var}) -%}
        {%- endfor -%}
        {%- for attribute in required if rule.get(attribute) is none or rule.get(attribute) == '' -%}
            {%- do problems.append(entry.var ~ ": " ~ noun ~ " " ~ label ~ " has no " ~ attribute) -%}
        {%- endfor -%}
        {%- for attribute, value in rule.items() if value is not none and value != '' -%}
            {%- set origin = origins[label][attribute] -%}
            {%- set expected = spec.get(attribute) -%}
            {%- if expected is none -%}
                {%- do problems.append(
                    origin ~ ": " ~ noun ~ " " ~ label ~ " has unknown attribute " ~ attribute
                    ~ " (known: " ~ spec.keys() | join(', ') ~ ")"
                ) -%}
            {%- else -%}
                {%- set type_ok = {
                    'string': value is string,
                    'identifier': value is string and modules.re.match('^[a-z][a-z0-9_]*$', value),
                    'integer': value is integer and value is not boolean and value >= 0,
                    'number': value is number and value is not boolean,
                    'boolean': value is boolean,
                    'list': value is sequence and value is not string and value is not mapping,
                }[expected.type] -%}
                {%- if not type_ok -%}
                    {%- do problems.append(
                        origin ~ ": " ~ noun ~ " " ~ label ~ " has " ~ attribute ~ " '" ~ value ~ "'; expected "
                        ~ {'string': 'text', 'identifier': 'lower-case letters, digits and _',
                           'integer': 'a whole number (0 or more)', 'number': 'a number',
                           'boolean': 'true or false',
                           'list': 'a list'}[expected.type]
                    ) -%}
                {%- elif expected.get('values') and expected.type == 'list' and value | reject('in', expected['values']) | list -%}
                    {%- do problems.append(
                        origin ~ ": " ~ noun ~ " " ~ label ~ " has " ~ attribute ~ " naming "
                        ~ value | reject('in', expected['values']) | join(', ') ~ "; expected names from "
                        ~ expected['values'] | join(', ')
                    ) -%}
                {%- elif expected.get('values') and expected.type != 'list' and value not in expected['values'] -%}
                    {%- do problems.append(
                        origin ~ ": " ~ noun ~ " " ~ label ~ " has " ~ attribute ~ " '" ~ value ~ "'; expected one of "
                        ~ expected['values'] | join(', ')
                    ) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if rule.get('name') in names -%}
            {%- do problems.append(entry.var ~ ": " ~ noun ~ " " ~ label ~ " is declared twice") -%}
        {%- endif -%}
        {%- do names.append(rule.get('name')) -%}
        {%- if rule.get('enabled', true) -%}
            {%- do rules.append(rule) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in overrides if name not in names -%}
        {%- do problems.append(overrides_var ~ " names no declared " ~ noun ~ ": " ~ name) -%}
    {%- endfor -%}
    {{ return({'rules': rules, 'problems': problems, 'origins': origins}) }}
{%- endmacro %}
