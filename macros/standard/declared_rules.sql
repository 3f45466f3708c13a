{#- A declared list of rules, as a deployment configured it: the rules of var(base_var) with the
    attributes in var(overrides_var) applied by rule name (enabled: false drops a rule), followed by
    the rules of var(extra_var). Fails the build with a clear message when a rule lacks a required
    attribute, has a value outside its allowed set, has a name that is not a lower-case identifier,
    repeats a name, or when an override names no rule. -#}
{% macro declared_rules(base_var, overrides_var, extra_var, required, allowed={}) -%}
    {%- set overrides = var(overrides_var, {}) or {} -%}
    {%- set names = [] -%}
    {%- set rules = [] -%}
    {%- for base in var(base_var, []) + (var(extra_var, []) or []) -%}
        {%- set rule = {} -%}
        {%- do rule.update(base) -%}
        {%- do rule.update(overrides.get(base.get('name'), {})) -%}
        {%- for attribute in required if rule.get(attribute) is none or rule.get(attribute) == '' -%}
            {{ exceptions.raise_compiler_error(
                base_var ~ ": rule " ~ (rule.get('name') or loop.index) ~ " has no " ~ attribute
            ) }}
        {%- endfor -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]*$', rule['name'] | string) -%}
            {{ exceptions.raise_compiler_error(
                base_var ~ ": rule name '" ~ rule['name'] ~ "' must be lower-case letters, digits and _"
            ) }}
        {%- endif -%}
        {%- if rule['name'] in names -%}
            {{ exceptions.raise_compiler_error(base_var ~ ": rule " ~ rule['name'] ~ " is declared twice") }}
        {%- endif -%}
        {%- for attribute, values in allowed.items() if rule.get(attribute) not in values -%}
            {{ exceptions.raise_compiler_error(
                base_var ~ ": rule " ~ rule['name'] ~ " has " ~ attribute ~ " '" ~ rule.get(attribute)
                ~ "'; expected one of " ~ values | join(', ')
            ) }}
        {%- endfor -%}
        {%- do names.append(rule['name']) -%}
        {%- if rule.get('enabled', true) -%}
            {%- do rules.append(rule) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in overrides if name not in names -%}
        {{ exceptions.raise_compiler_error(overrides_var ~ " names no declared rule: " ~ name) }}
    {%- endfor -%}
    {{ return(rules) }}
{%- endmacro %}
