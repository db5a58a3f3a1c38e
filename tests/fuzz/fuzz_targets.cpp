#include "fuzz_targets.hpp"

namespace migpkg::fuzz {

const std::vector<Target>& all_targets() {
  static const std::vector<Target> targets = {
      {"dsl_parser", fuzz_dsl_parser},         {"json_loader", fuzz_json_loader},
      {"package_reader", fuzz_package_reader}, {"dataset_reader", fuzz_dataset_reader},
      {"age_decoder", fuzz_age_decoder},
  };
  return targets;
}

}  // namespace migpkg::fuzz
