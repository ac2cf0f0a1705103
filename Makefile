# Quantscope: the two commands README promises.
#   make run   installs what is missing, builds, fetches the PaddleOCR models and sample photos,
#              and opens the workbench on the PaddleOCR text-direction classifier with the photos
#              preset as calibration folder: press Quantize, then Compare, and see the charts
#   make test  installs what is missing, builds (Release + an ASan/UBSan build), runs every test,
#              then fuzzes model loading and session creation with 100,000 inputs (make fuzz)
# Also: make run-cli (the same job in the terminal: inspect, run, quantize, run the result),
#       make package (a Debian package of the build), make package-test (checks that package)
# The build runs on any x86-64 CPU with AVX2 (CMake's QS_ARCH=x86-64-v3); CMAKE_ARGS adds CMake
# options, e.g. make build CMAKE_ARGS=-DQS_NATIVE=ON for this machine's CPU only.
BUILD       ?= build
BUILD_ASAN  ?= build-asan
FUZZ_SECONDS ?= 120
FUZZ_SEED   ?= 1
FUZZ_RUNS   ?= 100000
JOBS        ?= $(shell nproc)
CACHE_DIR   ?= $(HOME)/.cache/quantscope
CMAKE_ARGS  ?=
export QS_CACHE_DIR := $(CACHE_DIR)

.PHONY: all deps build build-asan fuzz test run run-cli bench assets package package-test format clean

all: build

deps:
	bash scripts/install-deps.sh

# -DQS_NATIVE=OFF first (CMAKE_ARGS can turn it on): a build folder configured when -march=native
# was the default becomes portable too.
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DQS_NATIVE=OFF $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

# The sanitizer build: clang with ASan/UBSan and libFuzzer's coverage counters on every object.
# It holds the unit, kernel, CLI and ONNX backend suites (not the GUI, benches or model tests)
# and the libFuzzer target (tests/fuzz/model_fuzzer.cpp), which links the whole core: model
# loading, graph index, summary and session creation. One build serves both, and clang compiles
# it about a third faster than GCC. A folder configured with another compiler is started afresh.
SANITIZER_TARGETS = unit_tests graph_tests cli_tests runtime_tests data_tests quant_tests \
                    compare_tests tune_tests tune_fp16_tests backend_runner quantscope-cli model_fuzzer
build-asan: deps
	@if [ -f $(BUILD_ASAN)/CMakeCache.txt ] && \
	    ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++' $(BUILD_ASAN)/CMakeCache.txt; then \
	    echo "$(BUILD_ASAN) was configured with another compiler: starting it afresh"; \
	    rm -rf $(BUILD_ASAN); fi
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	      -DQS_SANITIZE=ON -DQS_FUZZ=ON -DQS_FUZZ_SECONDS=$(FUZZ_SECONDS) -DQS_FUZZ_SEED=$(FUZZ_SEED) \
	      -DQS_FUZZ_RUNS=$(FUZZ_RUNS) -DQS_BUILD_GUI=OFF -DQS_BUILD_BENCH=OFF
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target $(SANITIZER_TARGETS)

# ctest's fuzz.libfuzzer in the sanitizer build: replays the regression inputs and tries
# FUZZ_RUNS inputs from seed FUZZ_SEED (the same ones on every machine, so CI does not depend on
# speed); `make fuzz FUZZ_RUNS=0 FUZZ_SECONDS=3600 FUZZ_SEED=$RANDOM` explores further.
fuzz: build-asan
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -L libfuzzer

assets: deps
	bash scripts/fetch-test-assets.sh

test: build build-asan assets
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS) -LE libfuzzer
	$(MAKE) fuzz

RUN_MODEL ?= $(CACHE_DIR)/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx
run: build assets
	$(BUILD)/bin/quantscope $(RUN_MODEL) --recipe resources/samples/ppocr_cls_static_int8.recipe.textproto \
	    --calibration-folder $(CACHE_DIR)/photos

RUN_CLI_MODEL ?= $(CACHE_DIR)/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx
run-cli: build assets
	$(BUILD)/bin/quantscope-cli inspect $(RUN_CLI_MODEL)
	$(BUILD)/bin/quantscope-cli run $(RUN_CLI_MODEL) --random --shape x=1x3x640x640 --warmup 1 --iterations 5 \
	    --output-dir $(BUILD)/run-output
	$(BUILD)/bin/quantscope-cli quantize $(RUN_CLI_MODEL) -o $(BUILD)/run-output/det_int8_qdq.onnx \
	    --mode static --per-channel --calib-dir $(CACHE_DIR)/photos --calib-samples 16 \
	    --image-size 640x640 --bgr --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225
	$(BUILD)/bin/quantscope-cli run $(BUILD)/run-output/det_int8_qdq.onnx --random \
	    --shape x=1x3x640x640 --warmup 1 --iterations 5

bench: build
	bash scripts/fetch-test-assets.sh
	bash bench/run-benchmarks.sh $(BUILD)

# The Debian package of the build: $(BUILD)/quantscope_<version>_<arch>.deb (cmake/Packaging.cmake).
package: build
	rm -f $(BUILD)/quantscope_*.deb
	cd $(BUILD) && cpack -G DEB
	@echo "package: $$(ls $(BUILD)/quantscope_*.deb)"

# Unpacks that package into a scratch folder and checks it is complete (tests/package).
package-test: package assets
	bash tests/package/check_package.sh $(BUILD)/quantscope_*.deb

# Applies .clang-format to every C++ file (ctest's style.clang_format checks it).
format:
	bash scripts/check-format.sh --fix

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
