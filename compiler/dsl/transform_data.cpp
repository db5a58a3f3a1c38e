// Transform steps (portable-migration-v1 `transform`) and literals.
#include <cerrno>
#include <cstdlib>

#include "compiler/dsl/transformer.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg::dsl {

std::optional<ir::Literal> Transformer::literal(Parser::LiteralContext* context) {
  ir::Literal out;
  using Kind = ir::Literal::Kind;
  bool negative = token_text(context->getStart()) == "-";
  if (context->STRING()) {
    out.kind = Kind::String;
    out.text = string_value(context->STRING());
  } else if (context->INT()) {
    out.kind = Kind::Integer;
    out.text = (negative ? "-" : "") + token_text(context->INT());
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(out.text.c_str(), &end, 10);
    if (errno == ERANGE) {
      diagnostics_.error("out-of-range", at(context), "integer is too large (the limit is 2^63-1)");
      return std::nullopt;
    }
    out.integer = value;
  } else if (context->DECIMAL()) {
    out.kind = Kind::Real;
    out.text = (negative ? "-" : "") + token_text(context->DECIMAL());
    out.real = std::strtod(out.text.c_str(), nullptr);
  } else if (context->TRUE_KW() || context->FALSE_KW()) {
    out.kind = Kind::Bool;
    out.boolean = context->TRUE_KW() != nullptr;
  } else {
    out.kind = Kind::Null;
  }
  return out;
}

void Transformer::with_parameters(Parser::WithParametersContext* context, ir::ValueTransform& out) {
  if (!context) return;
  for (auto* l : context->literal())
    if (auto value = literal(l)) out.parameters.push_back(*value);
}

std::optional<ir::ValueTransform> Transformer::value_transform(
    Parser::ValueTransformContext* context) {
  ir::ValueTransform out;
  out.location = at(context);
  using K = ir::ValueTransformKind;
  if (auto* f = as<Parser::FunctionTransformContext>(context)) {
    out.kind = K::Function;
    out.function = word(f->word());
    for (auto* l : f->literal())
      if (auto value = literal(l)) out.parameters.push_back(*value);
  } else if (auto* e = as<Parser::ExpressionTransformContext>(context)) {
    out.kind = K::Expression;
    out.expression = sql_expression(e->sqlExpression());
    with_parameters(e->withParameters(), out);
  } else if (auto* l = as<Parser::InlineLookupContext>(context)) {
    out.kind = K::Lookup;
    for (auto* entry : l->lookupEntry()) {
      ir::Literal key;
      key.kind = ir::Literal::Kind::String;
      key.text = string_value(entry->STRING());
      for (const auto& existing : out.lookup.entries)
        if (existing.first.text == key.text)
          diagnostics_.error("dsl-duplicate", at(entry),
                             "lookup key \"" + key.text + "\" is given twice");
      if (auto value = literal(entry->literal())) out.lookup.entries.emplace_back(key, *value);
    }
    with_parameters(l->withParameters(), out);
  } else if (auto* t = as<Parser::TableLookupContext>(context)) {
    out.kind = K::Lookup;
    out.lookup.table = ident(t->ident(0));
    out.lookup.key_column = ident(t->ident(1));
    out.lookup.value_column = ident(t->ident(2));
    with_parameters(t->withParameters(), out);
  } else if (auto* c = as<Parser::CustomTransformContext>(context)) {
    out.kind = K::Custom;
    out.custom.location = at(c);
    if (c->DOLLAR_TEXT()) {
      out.custom.universal = ir::LocatedText{dollar_text(c->DOLLAR_TEXT()), at(c->DOLLAR_TEXT())};
    } else {
      for (auto* entry : c->engineText()) {
        ir::LocatedText text{dollar_text(entry->DOLLAR_TEXT()), at(entry->DOLLAR_TEXT())};
        std::string name = word(entry->word());
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (name == "universal") {
          if (out.custom.universal)
            diagnostics_.error("dsl-duplicate", at(entry), "`universal` is given twice");
          out.custom.universal = text;
        } else if (auto engine = this->engine(entry->word(), true)) {
          if (!out.custom.by_engine.emplace(*engine, text).second)
            diagnostics_.error("dsl-duplicate", at(entry),
                               std::string("`") + ir::engine_name(*engine) + "` is given twice");
        }
      }
    }
    with_parameters(c->withParameters(), out);
  }
  return out;
}

std::optional<ir::Transform> Transformer::transform(Parser::StepTransformContext* context) {
  ir::Transform out;
  out.location = at(context);
  out.source = ident(context->ident(0));
  out.target = ident(context->ident(1));
  bool seen_filter = false, seen_batch = false;
  for (auto* item : context->transformItem()) {
    if (auto* m = as<Parser::MapItemContext>(item)) {
      ir::FieldMapping mapping;
      mapping.location = at(m);
      mapping.target = ident(m->ident());
      std::set<std::string> seen;
      for (auto* option : m->mapOption()) {
        std::string key = token_text(option->getStart());
        for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (!seen.insert(key).second) {
          diagnostics_.error("dsl-duplicate", at(option),
                             "`" + key + "` is given twice for mapping `" + mapping.target + "`");
          continue;
        }
        if (auto* s = as<Parser::MapSourceContext>(option))
          mapping.source = ident(s->ident());
        else if (auto* t = as<Parser::MapTransformContext>(option))
          mapping.transform = value_transform(t->valueTransform());
        else if (auto* d = as<Parser::MapDefaultContext>(option))
          mapping.default_value = literal(d->literal());
        else
          mapping.required = true;
      }
      out.mappings.push_back(std::move(mapping));
    } else if (auto* f = as<Parser::FilterItemContext>(item)) {
      if (seen_filter) diagnostics_.error("dsl-duplicate", at(item), "`where` is given twice");
      seen_filter = true;
      out.filter = sql_expression(f->sqlExpression());
      if (is_blank_sql(out.filter)) out.filter.clear();  // as in JSON: blank means every row
    } else if (auto* b = as<Parser::BatchItemContext>(item)) {
      if (seen_batch) diagnostics_.error("dsl-duplicate", at(item), "`batch size` is given twice");
      seen_batch = true;
      std::string digits = token_text(b->INT());
      if (digits.size() > 18)
        diagnostics_.error("out-of-range", at(b->INT()), "the batch size is too large");
      else
        out.batch_size = std::stoll(digits);
    } else if (auto* r = as<Parser::RuleItemContext>(item)) {
      ir::ValidationRule rule;
      rule.location = at(r);
      rule.field = ident(r->ident());
      rule.rule = sql_expression(r->sqlExpression());
      rule.message = string_value(r->STRING());
      rule.severity = r->WARNING() ? ir::Severity::Warning : ir::Severity::Error;
      out.validation.push_back(std::move(rule));
    }
  }
  if (out.mappings.empty())
    diagnostics_.error("empty-mapping", at(context), "a transform needs at least one `map`");
  return out;
}

}  // namespace migpkg::dsl
