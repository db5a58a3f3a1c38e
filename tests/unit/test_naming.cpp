// Default constraint and index names, and normalization of a change.
#include <catch2/catch.hpp>

#include "compiler/schema/naming.hpp"

using namespace migpkg;
using migpkg::schema::kMaxGeneratedNameLength;

TEST_CASE("default names follow the documented patterns", "[naming]") {
  CHECK(schema::primary_key_name("contacts") == "pk_contacts");
  CHECK(schema::unique_name("contacts", {"email"}) == "uq_contacts_email");
  CHECK(schema::foreign_key_name("order items", {"order_id", "line"}) ==
        "fk_order_items_order_id_line");
  CHECK(schema::check_name("crm.users", 2) == "ck_crm_users_2");
  CHECK(schema::index_name("contacts", {"last", "first"}, false) == "ix_contacts_last_first");
  CHECK(schema::index_name("contacts", {"email"}, true) == "ux_contacts_email");
  std::string added = schema::check_name("t", std::string("a > 0"));
  CHECK(added.size() == std::string("ck_t_").size() + 8);
  CHECK(added == schema::check_name("t", std::string("a > 0")));
  CHECK(added != schema::check_name("t", std::string("a > 1")));
}

TEST_CASE("long names are bounded and stay distinct", "[naming]") {
  std::string table(50, 't');
  std::string a = schema::index_name(table, {"column_number_one", "x"}, false);
  std::string b = schema::index_name(table, {"column_number_one", "y"}, false);
  CHECK(a.size() == kMaxGeneratedNameLength);
  CHECK(b.size() == kMaxGeneratedNameLength);
  CHECK(a != b);
  CHECK(a.substr(0, 10) == "ix_ttttttt");
  std::string exact(kMaxGeneratedNameLength, 'n');
  CHECK(schema::bounded_name(exact) == exact);
}

TEST_CASE("normalize fills missing names and keeps given ones", "[naming]") {
  ir::SchemaChange change;
  change.kind = ir::SchemaChange::Kind::CreateTable;
  change.table = "orders";
  ir::Constraint pk;
  pk.kind = ir::Constraint::Kind::PrimaryKey;
  pk.columns = {"id"};
  ir::Constraint check1, check2;
  check1.kind = check2.kind = ir::Constraint::Kind::Check;
  check1.check = "total >= 0";
  check2.check = "qty > 0";
  check2.name = "positive_qty";
  ir::Constraint check3 = check1;
  check3.check = "a <> b";
  change.constraints = {pk, check1, check2, check3};
  schema::normalize(change);
  CHECK(change.constraints[0].name == "pk_orders");
  CHECK(change.constraints[1].name == "ck_orders_1");
  CHECK(change.constraints[2].name == "positive_qty");
  CHECK(change.constraints[3].name == "ck_orders_3");
  ir::SchemaChange again = change;
  schema::normalize(again);
  CHECK(again.constraints[3].name == "ck_orders_3");

  ir::SchemaChange index;
  index.kind = ir::SchemaChange::Kind::CreateIndex;
  index.index.table = "orders";
  index.index.columns = {"customer_id"};
  index.index.unique = true;
  schema::normalize(index);
  CHECK(index.index.name == "ux_orders_customer_id");
}
