# SPDX-License-Identifier: GPL-2.0
#
# The targets every area's Makefile provides (see Makefile here), included after it set
#   AREA           its name in the KTAP report
#   OUT            its build directory
#   UNIT           the path of its ASan/UBSan unit program (the area's rules build it)
#   FUZZ_TARGETS   name:max_len of each libFuzzer target, built as $(OUT)/<name>
#   SEEDS          the directory of the committed seeds, one subdirectory a target

FUZZERS := $(foreach t,$(FUZZ_TARGETS),$(firstword $(subst :, ,$(t))))

.PHONY: unit unit-build unit-prog fuzz-build fuzz-list clean

unit: unit-build
	$(TOP)/tests/run-unit.sh $(AREA) $(UNIT)

unit-build: $(UNIT)

unit-prog:
	@echo $(UNIT)

fuzz-build: $(addprefix $(OUT)/,$(FUZZERS))

# one line a target: name, binary, seed directory, -max_len
fuzz-list:
	@$(foreach t,$(FUZZ_TARGETS),echo "$(word 1,$(subst :, ,$(t))) \
		$(OUT)/$(word 1,$(subst :, ,$(t))) $(SEEDS)/$(word 1,$(subst :, ,$(t))) \
		$(word 2,$(subst :, ,$(t)))";)

clean:
	rm -rf $(OUT)
