<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BenchWarnings</name>
    <message>
        <source>Compare on a data folder of real inputs to judge it.</source>
        <translation>请在真实输入的数据文件夹上比较，才能判断它。</translation>
    </message>
    <message>
        <source>Output &apos;%1&apos; is (nearly) constant on these inputs (mean %2, standard deviation %3): cosine and SQNR cannot see a variant&apos;s error there. %4</source>
        <translation>输出“%1”在这些输入上（几乎）恒定（均值 %2，标准差 %3）：余弦相似度和 SQNR 在此看不出变体的误差。%4</translation>
    </message>
    <message>
        <source>Output &apos;%1&apos; is saturated: %3% of its values sit at the bounds of %2 (%4 or %5), where errors made before it vanish; cosine and SQNR are insensitive there. %6</source>
        <translation>输出“%1”已饱和：%3% 的值位于 %2 的边界（%4 或 %5），之前产生的误差在此消失；余弦相似度和 SQNR 在此不敏感。%6</translation>
    </message>
    <message>
        <source>%2: output &apos;%1&apos; is at %3 dB SQNR while the tensors inside are at %4 dB (median): the output hides the error made before it. %5</source>
        <translation>%2：输出“%1”的 SQNR 为 %3 dB，而内部张量为 %4 dB（中位数）：输出掩盖了之前产生的误差。%5</translation>
    </message>
    <message>
        <source>Latency too noisy to rank %1 and %2: their round medians overlap (%3-%4 ms and %5-%6 ms). Close other programs, or raise the iterations.</source>
        <translation>延迟噪声太大，无法比较 %1 与 %2 的快慢：它们各轮的中位数重叠（%3-%4 ms 与 %5-%6 ms）。请关闭其他程序，或增加迭代次数。</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <source>%1 left in %2: %3</source>
        <translation>%1 保留为%2：%3</translation>
    </message>
    <message>
        <source>dynamic quantization has no integer form for %1</source>
        <translation>动态量化没有 %1 的整数形式</translation>
    </message>
    <message>
        <source>transA = 1: MatMulInteger has no transposed A</source>
        <translation>transA = 1：MatMulInteger 不支持转置的 A</translation>
    </message>
    <message>
        <source>%1 is a %2 constant; the integer ops take float32 weights</source>
        <translation>%1 是 %2 常量；整数算子只接受 float32 权重</translation>
    </message>
    <message>
        <source>%1 is the graph input &apos;%2&apos;, not a constant</source>
        <translation>%1 是图输入“%2”，不是常量</translation>
    </message>
    <message>
        <source>%1 comes from node &apos;%2&apos; (%3), computed from the model&apos;s inputs, not a constant</source>
        <translation>%1 来自节点“%2”（%3），由模型输入计算得出，不是常量</translation>
    </message>
    <message>
        <source>%1 comes from node &apos;%2&apos; (%3), a computation on constants that Quantscope does not fold</source>
        <translation>%1 来自节点“%2”（%3），是 Quantscope 不会折叠的常量计算</translation>
    </message>
    <message>
        <source>B has rank %1 (a batched MatMul), not a 2-D weight matrix</source>
        <translation>B 的秩为 %1（批量 MatMul），不是二维权重矩阵</translation>
    </message>
    <message>
        <source>weight has rank %1; a Conv weight has at least 3</source>
        <translation>权重的秩为 %1；Conv 权重的秩至少为 3</translation>
    </message>
    <message>
        <source>it has no weight input</source>
        <translation>它没有权重输入</translation>
    </message>
    <message>
        <source>its input &apos;%1&apos; is a constant: no activation to quantize</source>
        <translation>它的输入“%1”是常量：没有可量化的激活</translation>
    </message>
    <message>
        <source>its input &apos;%1&apos; is float; a pass-through op is quantized only where its input is</source>
        <translation>它的输入“%1”是浮点；直通算子只在其输入已量化时才量化</translation>
    </message>
    <message>
        <source>its input &apos;%1&apos; (from %2 &apos;%3&apos;) is float; a pass-through op is quantized only where its input is</source>
        <translation>它的输入“%1”（来自 %2“%3”）是浮点；直通算子只在其输入已量化时才量化</translation>
    </message>
    <message>
        <source>its producer %1 &apos;%2&apos; stays float in the QOperator format</source>
        <translation>它的生产者 %1“%2”在 QOperator 格式中保持浮点</translation>
    </message>
    <message>
        <source>its input or output has no calibrated range</source>
        <translation>它的输入或输出没有校准范围</translation>
    </message>
    <message>
        <source>its input &apos;%1&apos; is float here; a pass-through op runs on int8 only where its input is</source>
        <translation>它的输入“%1”在此处是浮点；直通算子只在其输入为 int8 时才以 int8 运行</translation>
    </message>
    <message>
        <source>the QOperator format has no standard ONNX op for %1 on int8 (the QDQ format quantizes it)</source>
        <translation>QOperator 格式没有 int8 %1 的标准 ONNX 算子（QDQ 格式可以量化它）</translation>
    </message>
    <message>
        <source>no calibration folder: calibrating on %1 random inputs, ranges will not match real data</source>
        <translation>没有校准文件夹：在 %1 个随机输入上校准，范围不会与真实数据相符</translation>
    </message>
    <message>
        <source>Conv weights are stored as uint8: ONNX Runtime&apos;s CPU ConvInteger implements only uint8 x uint8 (onnxruntime#12558, #15888); MatMul/Gemm weights are int8</source>
        <translation>Conv 权重以 uint8 存储：ONNX Runtime 的 CPU ConvInteger 只实现了 uint8 x uint8（onnxruntime#12558、#15888）；MatMul/Gemm 权重为 int8</translation>
    </message>
    <message>
        <source>%1 weights clamped into float16 range [%2, %3]</source>
        <translation>%1 个权重被截断到 float16 范围 [%2, %3]</translation>
    </message>
    <message>
        <source>%1: %2, skipped</source>
        <translation>%1：%2，已跳过</translation>
    </message>
    <message>
        <source>cannot decode image (%1)</source>
        <translation>无法解码图像（%1）</translation>
    </message>
    <message>
        <source>cannot read (%1)</source>
        <translation>无法读取（%1）</translation>
    </message>
    <message>
        <source>... and %1 more skipped (of %2 skipped in all)</source>
        <translation>……另有 %1 个被跳过（共跳过 %2 个）</translation>
    </message>
    <message>
        <source>a broken link</source>
        <translation>失效的链接</translation>
    </message>
    <message>
        <source>no longer there</source>
        <translation>已不存在</translation>
    </message>
    <message>
        <source>cannot read it (%1)</source>
        <translation>无法读取（%1）</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>不是普通文件</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>is a directory, not an ONNX model file</source>
        <translation>是文件夹，不是 ONNX 模型文件</translation>
    </message>
    <message>
        <source>empty file, not an ONNX model</source>
        <translation>空文件，不是 ONNX 模型</translation>
    </message>
    <message>
        <source>not an ONNX model: the protobuf is corrupt or truncated</source>
        <translation>不是 ONNX 模型：protobuf 已损坏或被截断</translation>
    </message>
    <message>
        <source>not an ONNX model: it has no graph</source>
        <translation>不是 ONNX 模型：没有计算图</translation>
    </message>
    <message>
        <source>not an ONNX model: ir_version is missing</source>
        <translation>不是 ONNX 模型：缺少 ir_version</translation>
    </message>
    <message>
        <source>float</source>
        <comment>left in float</comment>
        <translation>浮点</translation>
    </message>
    <message>
        <source>reading %1</source>
        <comment>progress step</comment>
        <translation>正在读取 %1</translation>
    </message>
    <message>
        <source>checking</source>
        <comment>progress step</comment>
        <translation>正在检查</translation>
    </message>
    <message>
        <source>inferring shapes</source>
        <comment>progress step</comment>
        <translation>正在推断形状</translation>
    </message>
    <message>
        <source>indexing</source>
        <comment>progress step</comment>
        <translation>正在建立索引</translation>
    </message>
    <message>
        <source>loaded</source>
        <comment>progress step</comment>
        <translation>已加载</translation>
    </message>
    <message>
        <source>preparing the model for running</source>
        <comment>progress step</comment>
        <translation>正在准备运行模型</translation>
    </message>
    <message>
        <source>preparing the model</source>
        <comment>progress step</comment>
        <translation>正在准备模型</translation>
    </message>
    <message>
        <source>calibrating</source>
        <comment>progress step</comment>
        <translation>正在校准</translation>
    </message>
    <message>
        <source>calibrating on %1</source>
        <comment>progress step</comment>
        <translation>正在校准（%1）</translation>
    </message>
    <message>
        <source>writing the quantized graph</source>
        <comment>progress step</comment>
        <translation>正在写入量化后的计算图</translation>
    </message>
    <message>
        <source>quantizing (dynamic)</source>
        <comment>progress step</comment>
        <translation>正在量化（动态）</translation>
    </message>
    <message>
        <source>writing QDQ model</source>
        <comment>progress step</comment>
        <translation>正在写入 QDQ 模型</translation>
    </message>
    <message>
        <source>writing QOperator model</source>
        <comment>progress step</comment>
        <translation>正在写入 QOperator 模型</translation>
    </message>
    <message>
        <source>Planning the float16 conversion</source>
        <comment>progress step</comment>
        <translation>正在规划 float16 转换</translation>
    </message>
    <message>
        <source>Converting to float16</source>
        <comment>progress step</comment>
        <translation>正在转换为 float16</translation>
    </message>
    <message>
        <source>saving the model</source>
        <comment>progress step</comment>
        <translation>正在保存模型</translation>
    </message>
    <message>
        <source>loading the variants</source>
        <comment>progress step</comment>
        <translation>正在加载各变体</translation>
    </message>
    <message>
        <source>comparing outputs</source>
        <comment>progress step</comment>
        <translation>正在比较输出</translation>
    </message>
    <message>
        <source>comparing on %1</source>
        <comment>progress step</comment>
        <translation>正在比较（%1）</translation>
    </message>
    <message>
        <source>warming up</source>
        <comment>progress step</comment>
        <translation>正在预热</translation>
    </message>
    <message>
        <source>timing</source>
        <comment>progress step</comment>
        <translation>正在计时</translation>
    </message>
    <message>
        <source>timing in ONNX Runtime</source>
        <comment>progress step</comment>
        <translation>正在 ONNX Runtime 中计时</translation>
    </message>
    <message>
        <source>timing %1 in ONNX Runtime</source>
        <comment>progress step</comment>
        <translation>正在 ONNX Runtime 中为 %1 计时</translation>
    </message>
    <message>
        <source>running the model</source>
        <comment>progress step</comment>
        <translation>正在运行模型</translation>
    </message>
    <message>
        <source>batch %1</source>
        <comment>progress step</comment>
        <translation>批大小 %1</translation>
    </message>
    <message>
        <source>looking for the batch culprit</source>
        <comment>progress step</comment>
        <translation>正在查找导致批处理出错的节点</translation>
    </message>
    <message>
        <source>done</source>
        <comment>progress step</comment>
        <translation>完成</translation>
    </message>
    <message>
        <source>warm-up</source>
        <comment>progress step</comment>
        <translation>预热</translation>
    </message>
    <message>
        <source>profiled runs</source>
        <comment>progress step</comment>
        <translation>性能分析运行</translation>
    </message>
    <message>
        <source>FP16 block list search</source>
        <comment>progress step</comment>
        <translation>FP16 阻止列表搜索</translation>
    </message>
    <message>
        <source>FP32 activation ranges</source>
        <comment>progress step</comment>
        <translation>FP32 激活值范围</translation>
    </message>
    <message>
        <source>reference outputs on %1</source>
        <comment>progress step</comment>
        <translation>参考输出（%1）</translation>
    </message>
    <message>
        <source>trial %1: %2</source>
        <comment>progress step</comment>
        <translation>试验 %1：%2</translation>
    </message>
    <message>
        <source>bias correction: input means on %1</source>
        <comment>progress step</comment>
        <translation>偏置校正：输入均值（%1）</translation>
    </message>
    <message>
        <source>checker: %1</source>
        <translation>检查器：%1</translation>
    </message>
    <message>
        <source>shape inference: %1</source>
        <translation>形状推断：%1</translation>
    </message>
    <message>
        <source>IR version %1 is newer than this build of ONNX knows (%2)</source>
        <translation>IR 版本 %1 比此 ONNX 构建所知的版本（%2）更新</translation>
    </message>
    <message>
        <source>the model imports no opset</source>
        <translation>模型未导入任何算子集</translation>
    </message>
    <message>
        <source>the model is not a valid ONNX model: %1</source>
        <translation>该模型不是有效的 ONNX 模型：%1</translation>
    </message>
    <message>
        <source>the quantized model fails ONNX&apos;s checker (a bug in Quantscope, please report it): %1</source>
        <translation>量化后的模型未通过 ONNX 检查器（这是 Quantscope 的缺陷，请报告）：%1</translation>
    </message>
    <message>
        <source>ONNX %1&apos;s checker predates the output&apos;s IR version %2: %3</source>
        <translation>ONNX %1 的检查器早于输出的 IR 版本 %2：%3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>no node &apos;%1&apos; (closest: %2)</source>
        <translation>没有节点“%1”（最接近的：%2）</translation>
    </message>
    <message>
        <source>no node &apos;%1&apos; (closest: %2); %3</source>
        <translation>没有节点“%1”（最接近的：%2）；%3</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an ONNX op type (closest: %2)</source>
        <translation>“%1”不是 ONNX 算子类型（最接近的：%2）</translation>
    </message>
    <message>
        <source>activation_type int8: dynamic quantization quantizes activations at run time with DynamicQuantizeLinear, which produces uint8 only</source>
        <translation>activation_type int8：动态量化在运行时用 DynamicQuantizeLinear 量化激活值，而它只产生 uint8</translation>
    </message>
    <message>
        <source>int8 activations with uint8 weights: no runtime has kernels for this pair (ONNX Runtime rejects it too); use uint8 activations or int8 weights</source>
        <translation>int8 激活值配 uint8 权重：没有运行时为这种组合提供内核（ONNX Runtime 也拒绝它）；请使用 uint8 激活值或 int8 权重</translation>
    </message>
    <message>
        <source>op_types_to_quantize: static quantization has no rule for &apos;%1&apos;</source>
        <translation>op_types_to_quantize：静态量化没有针对“%1”的规则</translation>
    </message>
    <message>
        <source>calibration.percentile %1 is above 100</source>
        <translation>calibration.percentile %1 大于 100</translation>
    </message>
    <message>
        <source>cross_layer_equalization applies to INT8 (static or dynamic) quantization, not to fp16</source>
        <translation>cross_layer_equalization 适用于 INT8（静态或动态）量化，不适用于 fp16</translation>
    </message>
    <message>
        <source>equalize_relu6_as_relu needs cross_layer_equalization</source>
        <translation>equalize_relu6_as_relu 需要 cross_layer_equalization</translation>
    </message>
    <message>
        <source>bias_correction measures on calibration samples: static mode only</source>
        <translation>bias_correction 在校准样本上测量：仅限静态模式</translation>
    </message>
    <message>
        <source>nodes_with_16bit_activations: 16-bit activations are a static quantization option</source>
        <translation>nodes_with_16bit_activations：16 位激活值是静态量化的选项</translation>
    </message>
    <message>
        <source>nodes_with_16bit_activations needs the QDQ format: QOperator&apos;s QLinear ops are 8-bit only</source>
        <translation>nodes_with_16bit_activations 需要 QDQ 格式：QOperator 的 QLinear 算子只支持 8 位</translation>
    </message>
    <message>
        <source>fp16 min_positive_val must be below max_finite_val</source>
        <translation>fp16 min_positive_val 必须小于 max_finite_val</translation>
    </message>
    <message>
        <source>the recipe has no mode: choose dynamic, static or fp16</source>
        <translation>配方没有模式：请选择 dynamic、static 或 fp16</translation>
    </message>
    <message>
        <source>grouping nodes</source>
        <comment>progress step</comment>
        <translation>正在对节点分组</translation>
    </message>
    <message>
        <source>laying out %1 boxes</source>
        <comment>progress step</comment>
        <translation>正在布局 %1 个方框</translation>
    </message>
    <message>
        <source>%1 %3 in %2</source>
        <comment>sample data: count, folder, kind</comment>
        <translation>%2 中的 %1 个%3</translation>
    </message>
    <message>
        <source>%1 of %2 %4 in %3</source>
        <comment>sample data: count used, count found, folder, kind</comment>
        <translation>%3 中 %2 个%4里的 %1 个</translation>
    </message>
    <message>
        <source>%1 random samples (seed %2)</source>
        <comment>sample data: count, seed</comment>
        <translation>%1 个随机样本（种子 %2）</translation>
    </message>
    <message>
        <source>images</source>
        <comment>kind of sample data</comment>
        <translation>图像</translation>
    </message>
    <message>
        <source>tensor files</source>
        <comment>kind of sample data</comment>
        <translation>张量文件</translation>
    </message>
    <message>
        <source>sample folders</source>
        <comment>kind of sample data</comment>
        <translation>样本文件夹</translation>
    </message>
    <message>
        <source>graph has a cycle or inputs nobody produces; %1 nodes cannot be ordered, among them %2</source>
        <translation>计算图有环或有无人产生的输入；%1 个节点无法排序，其中包括 %2</translation>
    </message>
    <message>
        <source>graph &apos;%1&apos; has a cycle or inputs nobody produces; %2 nodes cannot be ordered, among them %3</source>
        <translation>计算图“%1”有环或有无人产生的输入；%2 个节点无法排序，其中包括 %3</translation>
    </message>
    <message>
        <source>node &apos;%1&apos; lists output &apos;%2&apos; twice</source>
        <translation>节点“%1”两次列出输出“%2”</translation>
    </message>
    <message>
        <source>value &apos;%1&apos; is produced by two nodes: &apos;%2&apos; and &apos;%3&apos;</source>
        <translation>值“%1”由两个节点产生：“%2”和“%3”</translation>
    </message>
    <message>
        <source>duplicate node name &apos;%1&apos; (nodes %2 and %3); exclusion by name will match the first</source>
        <translation>重复的节点名“%1”（节点 %2 和 %3）；按名称排除将匹配第一个</translation>
    </message>
    <message>
        <source>graph output: &apos;%1&apos; is produced by no node, graph input or initializer</source>
        <translation>图输出：“%1”不由任何节点、图输入或初始值产生</translation>
    </message>
    <message>
        <source>graph output: &apos;%1&apos; in the subgraph &apos;%2&apos; of %3 is produced by no node, graph input or initializer</source>
        <translation>图输出：%3 的子图“%2”中的“%1”不由任何节点、图输入或初始值产生</translation>
    </message>
    <message>
        <source>shape inference skipped: %1</source>
        <translation>已跳过形状推断：%1</translation>
    </message>
    <message>
        <source>prepared for INT8: %1 constant nodes folded (Identity/Cast/Reshape... of initializers, shape computations), so that weights and biases are constants</source>
        <translation>为 INT8 做准备：折叠了 %1 个常量节点（初始值上的 Identity/Cast/Reshape……、形状计算），使权重和偏置成为常量</translation>
    </message>
    <message>
        <source>prepared for INT8: %1 BatchNormalization/Mul/Add nodes folded into Conv weights</source>
        <translation>为 INT8 做准备：%1 个 BatchNormalization/Mul/Add 节点折叠进了 Conv 权重</translation>
    </message>
    <message>
        <source>prepared for INT8: %1 decomposed HardSwish patterns made one HardSwish node</source>
        <translation>为 INT8 做准备：%1 个分解的 HardSwish 模式合并为一个 HardSwish 节点</translation>
    </message>
    <message>
        <source>opset raised from %1 to %2 with ONNX&apos;s version converter (%3)</source>
        <translation>已用 ONNX 的版本转换器将算子集从 %1 提升到 %2（%3）</translation>
    </message>
    <message>
        <source>quantized ops need it</source>
        <translation>量化算子需要它</translation>
    </message>
    <message>
        <source>16-bit activations need it</source>
        <translation>16 位激活值需要它</translation>
    </message>
    <message>
        <source>cross-layer equalization: %1 Conv/Gemm pairs rescaled (%2 sweeps)</source>
        <translation>跨层均衡：重新缩放了 %1 对 Conv/Gemm（%2 轮）</translation>
    </message>
    <message>
        <source>cross-layer equalization: 0 Conv/Gemm pairs rescaled</source>
        <translation>跨层均衡：没有重新缩放任何 Conv/Gemm 对</translation>
    </message>
    <message>
        <source>cross-layer equalization: %1 ReLU6 between rescaled pairs made ReLU (float outputs change where a value passed 6)</source>
        <translation>跨层均衡：重新缩放的对之间的 %1 个 ReLU6 改为 ReLU（值超过 6 处浮点输出会改变）</translation>
    </message>
    <message>
        <source>cross-layer equalization: %1 pairs left alone: a ReLU6 (Clip 0..6) between them is not scale-invariant</source>
        <translation>跨层均衡：%1 对未处理：它们之间的 ReLU6（Clip 0..6）不具有缩放不变性</translation>
    </message>
    <message>
        <source>bias correction: %1 Conv/Gemm biases shifted by the mean error of their quantized weights on the calibration samples (mean |shift| %2)</source>
        <translation>偏置校正：%1 个 Conv/Gemm 偏置按其量化权重在校准样本上的平均误差做了平移（平均 |平移| %2）</translation>
    </message>
    <message>
        <source>tensor &apos;%1&apos; was never computed (or never finite) during calibration; it stays in float</source>
        <translation>张量“%1”在校准中从未被计算（或从未为有限值）；它保持浮点</translation>
    </message>
    <message>
        <source>no evaluation folder: the targets are judged on %1, which says little about accuracy on real data</source>
        <translation>没有评估文件夹：目标在 %1 上评判，这很难说明真实数据上的精度</translation>
    </message>
    <message>
        <source>%1 nodes kept in float32 before any trial: their FP32 outputs exceed float16&apos;s range on the evaluation data</source>
        <translation>在任何试验之前已有 %1 个节点保持 float32：它们在评估数据上的 FP32 输出超出 float16 的范围</translation>
    </message>
    <message>
        <source>the search stopped early: %1</source>
        <translation>搜索提前停止：%1</translation>
    </message>
    <message>
        <source>recipe search: a recipe was skipped: %1</source>
        <translation>配方搜索：跳过了一个配方：%1</translation>
    </message>
    <message>
        <source>control flow stays float32 at its boundary; its subgraphs are converted</source>
        <translation>控制流在其边界保持 float32；其子图会被转换</translation>
    </message>
    <message>
        <source>op type %1 is in the float16 op block list</source>
        <translation>算子类型 %1 在 float16 算子阻止列表中</translation>
    </message>
    <message>
        <source>the node is in the float16 node block list</source>
        <translation>该节点在 float16 节点阻止列表中</translation>
    </message>
    <message>
        <source>ops of domain &apos;%1&apos; are not converted</source>
        <translation>域“%1”的算子不会被转换</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; holds %2, beyond the float16 range</source>
        <translation>输入“%1”含有 %2，超出 float16 范围</translation>
    </message>
    <message>
        <source>sparse Constant values are not converted</source>
        <translation>稀疏 Constant 值不会被转换</translation>
    </message>
    <message>
        <source>no schema for %1 at opset %2</source>
        <translation>算子集 %2 中没有 %1 的模式定义</translation>
    </message>
    <message>
        <source>output &apos;%1&apos; has no float16 type in %2</source>
        <translation>%2 中输出“%1”没有 float16 类型</translation>
    </message>
    <message>
        <source>the type of output &apos;%1&apos; is set by an attribute in %2</source>
        <translation>%2 中输出“%1”的类型由属性决定</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; has no float16 type in %2</source>
        <translation>%2 中输入“%1”没有 float16 类型</translation>
    </message>
    <message>
        <source>the type of input &apos;%1&apos; is unknown</source>
        <translation>输入“%1”的类型未知</translation>
    </message>
    <message>
        <source>it is part of a decomposed LayerNorm (ending at &apos;%1&apos;), which stays float: its mean and variance lose too much in 8 bits, and the engine runs it as one LayerNormalization</source>
        <translation>它属于一个分解的 LayerNorm（结束于“%1”），该模式保持浮点：其均值和方差在 8 位下损失太大，引擎将其作为一个 LayerNormalization 运行</translation>
    </message>
    <message>
        <source>it is part of a decomposed GELU (ending at &apos;%1&apos;), which stays float: the engine runs it as one Gelu</source>
        <translation>它属于一个分解的 GELU（结束于“%1”），该模式保持浮点：引擎将其作为一个 Gelu 运行</translation>
    </message>
</context>
<context>
    <name>ExclusionActions</name>
    <message>
        <source>Keep node in float</source>
        <translation>将节点保持为浮点</translation>
    </message>
    <message>
        <source>Keep all %1 nodes in float</source>
        <translation>将所有 %1 节点保持为浮点</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>QuantizeJob</name>
    <message>
        <source>INT8 dynamic</source>
        <translation>INT8 动态</translation>
    </message>
    <message>
        <source>INT8 static QOperator</source>
        <translation>INT8 静态 QOperator</translation>
    </message>
    <message>
        <source>INT8 static QDQ</source>
        <translation>INT8 静态 QDQ</translation>
    </message>
    <message>
        <source>FP16</source>
        <translation>FP16</translation>
    </message>
    <message>
        <source>quantized</source>
        <translation>已量化</translation>
    </message>
</context>
<context>
    <name>RecipeFields</name>
    <message>
        <source>On</source>
        <translation>开</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关</translation>
    </message>
</context>
<context>
    <name>TextLists</name>
    <message>
        <source>&apos;%1&apos; has no &apos;=&apos;: write SYMBOL=SIZE, e.g. seq=128.</source>
        <translation>“%1”中没有“=”：请写成 符号=大小，例如 seq=128。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; names no symbol before &apos;=&apos;.</source>
        <translation>“%1”在“=”之前没有给出符号名。</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: &apos;%2&apos; is not a size (a whole number, 0 or more).</source>
        <translation>“%1”：“%2”不是有效的大小（应为 0 或更大的整数）。</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: the symbol &apos;%2&apos; is given twice.</source>
        <translation>“%1”：符号“%2”给出了两次。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Inspect and quantize ONNX models.</source>
        <translation>检查并量化 ONNX 模型。</translation>
    </message>
    <message>
        <source>The ONNX model to open.</source>
        <translation>要打开的 ONNX 模型。</translation>
    </message>
    <message>
        <source>Preset the calibration folder.</source>
        <translation>预设校准文件夹。</translation>
    </message>
    <message>
        <source>Save a screenshot once the model has loaded, then quit.</source>
        <translation>模型加载完成后保存截图，然后退出。</translation>
    </message>
    <message>
        <source>Preset the Quantize page from a recipe (.textproto).</source>
        <translation>用配方（.textproto）预设量化页面。</translation>
    </message>
</context>
<context>
    <name>qs::ui::AboutDialog</name>
    <message>
        <source>About Quantscope</source>
        <translation>关于 Quantscope</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Quantscope %1&lt;/h2&gt;&lt;p&gt;Inspect ONNX models, quantize them (INT8 dynamic, INT8 static QDQ and QOperator, FP16) and compare size, latency and accuracy.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Quantscope %1&lt;/h2&gt;&lt;p&gt;检查 ONNX 模型，对其进行量化（INT8 动态、INT8 静态 QDQ 和 QOperator、FP16），并比较大小、延迟和精度。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Built with:</source>
        <translation>构建所用的库：</translation>
    </message>
</context>
<context>
    <name>qs::ui::BoxItem</name>
    <message numerus="yes">
        <source>%n op(s)</source>
        <translation>
            <numerusform>%n 个算子</numerusform>
        </translation>
    </message>
    <message>
        <source>, 1 of %1 identical</source>
        <translation>，%1 个相同分组之一</translation>
    </message>
    <message numerus="yes">
        <source>%n subgraph(s), right-click to close</source>
        <translation>
            <numerusform>%n 个子图，右键单击可关闭</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qs::ui::CalibrationPanel</name>
    <message>
        <source>Calibration data</source>
        <translation>校准数据</translation>
    </message>
    <message>
        <source>A folder of images, .npy / .pb tensors or sample folders</source>
        <translation>包含图像、.npy / .pb 张量或样本文件夹的文件夹</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Calibration method</source>
        <translation>校准方法</translation>
    </message>
    <message>
        <source>Default (min/max)</source>
        <translation>默认（最小/最大值）</translation>
    </message>
    <message>
        <source>Min/max</source>
        <translation>最小/最大值</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>百分位数</translation>
    </message>
    <message>
        <source>Entropy (KL divergence)</source>
        <translation>熵（KL 散度）</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Samples:</source>
        <translation>样本数：</translation>
    </message>
    <message>
        <source>Default (%1)</source>
        <translation>默认（%1）</translation>
    </message>
    <message>
        <source>Percentile:</source>
        <translation>百分位数：</translation>
    </message>
    <message>
        <source>Histogram bins:</source>
        <translation>直方图分箱数：</translation>
    </message>
    <message>
        <source>Quantized bins:</source>
        <translation>量化分箱数：</translation>
    </message>
    <message>
        <source>Moving average of the per-batch ranges</source>
        <translation>对每个批次的范围取移动平均</translation>
    </message>
    <message>
        <source>Averaging constant:</source>
        <translation>平均常数：</translation>
    </message>
    <message>
        <source>Image preprocessing</source>
        <translation>图像预处理</translation>
    </message>
    <message>
        <source>Calibration Folder</source>
        <translation>校准文件夹</translation>
    </message>
    <message>
        <source>No folder: calibration needs one.</source>
        <translation>未选择文件夹：校准需要一个文件夹。</translation>
    </message>
    <message>
        <source>Reading %1...</source>
        <translation>正在读取 %1...</translation>
    </message>
    <message>
        <source>%1 does not exist or is not a folder.</source>
        <translation>%1 不存在或不是文件夹。</translation>
    </message>
    <message>
        <source>The folder is empty.</source>
        <translation>文件夹为空。</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s); the first ones are shown.</source>
        <translation>
            <numerusform>共 %n 张图像；仅显示前几张。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No images: %n entries, read as tensor files (.npy, .pb) or sample folders.</source>
        <translation>
            <numerusform>没有图像：%n 个条目，将作为张量文件（.npy、.pb）或样本文件夹读取。</numerusform>
        </translation>
    </message>
    <message>
        <source>Percentile: &apos;%1&apos; is not a number.</source>
        <translation>百分位数：“%1”不是数字。</translation>
    </message>
    <message>
        <source>Percentile: %1 is not in (0, 100].</source>
        <translation>百分位数：%1 不在 (0, 100] 范围内。</translation>
    </message>
    <message>
        <source>Averaging constant: &apos;%1&apos; is not a number.</source>
        <translation>平均常数：“%1”不是数字。</translation>
    </message>
    <message>
        <source>Averaging constant: %1 is not in (0, 1].</source>
        <translation>平均常数：%1 不在 (0, 1] 范围内。</translation>
    </message>
</context>
<context>
    <name>qs::ui::ChartExport</name>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not encode the chart as PNG for %1.</source>
        <translation>无法将图表编码为 PNG（%1）。</translation>
    </message>
    <message>
        <source>Could not start an SVG drawing for %1.</source>
        <translation>无法开始绘制 SVG（%1）。</translation>
    </message>
    <message>
        <source>Export chart as PNG</source>
        <translation>将图表导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export chart as SVG</source>
        <translation>将图表导出为 SVG</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export as PNG...</source>
        <translation>导出为 PNG...</translation>
    </message>
    <message>
        <source>Export as SVG...</source>
        <translation>导出为 SVG...</translation>
    </message>
</context>
<context>
    <name>qs::ui::CompareCharts</name>
    <message>
        <source>reference</source>
        <translation>参考模型</translation>
    </message>
    <message>
        <source>size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>p90</translation>
    </message>
    <message>
        <source>worst cosine</source>
        <translation>最差余弦相似度</translation>
    </message>
    <message>
        <source>worst SQNR (dB)</source>
        <translation>最差 SQNR (dB)</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>worst</source>
        <translation>最差</translation>
    </message>
    <message>
        <source>tensor in graph order</source>
        <translation>张量（按图中顺序）</translation>
    </message>
    <message>
        <source>meets targets</source>
        <translation>达到目标</translation>
    </message>
    <message>
        <source>misses targets</source>
        <translation>未达目标</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
</context>
<context>
    <name>qs::ui::ComparePage</name>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <source>Latency (median, p90 whisker)</source>
        <translation>延迟（中位数，须线为 p90）</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>worst cosine</source>
        <translation>最差余弦相似度</translation>
    </message>
    <message>
        <source>Per-node error</source>
        <translation>逐节点误差</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>Worst cosine</source>
        <translation>最差余弦相似度</translation>
    </message>
    <message>
        <source>Worst SQNR</source>
        <translation>最差 SQNR</translation>
    </message>
    <message>
        <source>The variant whose per-node error is shown</source>
        <translation>显示其逐节点误差的变体</translation>
    </message>
    <message>
        <source>worst </source>
        <translation>最差 </translation>
    </message>
    <message>
        <source>How many of the worst tensors are drawn in red</source>
        <translation>以红色标出的最差张量个数</translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation>导出 CSV...</translation>
    </message>
    <message>
        <source>Comparing variants</source>
        <translation>正在比较变体</translation>
    </message>
    <message>
        <source>The comparison failed: %1</source>
        <translation>比较失败：%1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1 produces NaN or Inf values.</source>
        <translation>%1 产生了 NaN 或 Inf 值。</translation>
    </message>
    <message>
        <source>There is no comparison to export yet.</source>
        <translation>尚无可导出的比较结果。</translation>
    </message>
    <message>
        <source>Export results as CSV</source>
        <translation>将结果导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear the results; a running comparison is cancelled</source>
        <translation>清除结果；正在运行的比较将被取消</translation>
    </message>
    <message>
        <source>Keep in float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <source>Compare the checked variants with the reference</source>
        <translation>将勾选的变体与参考模型比较</translation>
    </message>
    <message>
        <source>No variant was compared.</source>
        <translation>没有比较任何变体。</translation>
    </message>
    <message>
        <source>Per-node error was off for this comparison.
Tick &quot;Per-node error&quot; and compare again to see it.</source>
        <translation>本次比较未开启逐节点误差。
勾选“逐节点误差”后重新比较即可查看。</translation>
    </message>
    <message>
        <source>The reference compared with itself has no error.</source>
        <translation>参考模型与自身比较没有误差。</translation>
    </message>
    <message>
        <source>%1 has no float tensor named as in the reference,
so no tensor could be compared.</source>
        <translation>%1 没有与参考模型同名的浮点张量，
因此无法比较任何张量。</translation>
    </message>
    <message>
        <source>Keep %1 in float</source>
        <translation>将 %1 保持为浮点</translation>
    </message>
    <message>
        <source>%1 will be kept in float.</source>
        <translation>%1 将保持为浮点。</translation>
    </message>
</context>
<context>
    <name>qs::ui::CompareSettingsWidget</name>
    <message>
        <source>Add file...</source>
        <translation>添加文件...</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Random inputs</source>
        <translation>随机输入</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>all (random: 4)</source>
        <translation>全部（随机输入时为 4）</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>Per-node error</source>
        <translation>逐节点误差</translation>
    </message>
    <message>
        <source>Image preprocessing</source>
        <translation>图像预处理</translation>
    </message>
    <message>
        <source>Checked variants are compared with the reference (first row).</source>
        <translation>勾选的变体将与参考模型（第一行）进行比较。</translation>
    </message>
    <message>
        <source>Compare every float tensor both models compute, to find the nodes that lose the most accuracy.</source>
        <translation>比较两个模型都会计算的每个浮点张量，以找出精度损失最大的节点。</translation>
    </message>
    <message>
        <source>images or .npy/.pb tensors</source>
        <translation>图像或 .npy/.pb 张量</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Samples:</source>
        <translation>样本数：</translation>
    </message>
    <message>
        <source>Warm-up runs:</source>
        <translation>预热次数：</translation>
    </message>
    <message>
        <source>Timed runs:</source>
        <translation>计时迭代次数：</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>线程数：</translation>
    </message>
    <message>
        <source>Open a model first: it is the reference the variants are compared with.</source>
        <translation>请先打开一个模型：它是各变体用来比较的参考模型。</translation>
    </message>
    <message>
        <source>The data folder &apos;%1&apos; does not exist.</source>
        <translation>数据文件夹“%1”不存在。</translation>
    </message>
    <message>
        <source>opened file</source>
        <translation>已打开的文件</translation>
    </message>
    <message>
        <source>Add a variant</source>
        <translation>添加变体</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Evaluation data folder</source>
        <translation>评估数据文件夹</translation>
    </message>
    <message>
        <source>No variant to compare: quantize the model, or add a file, then check it in the list.</source>
        <translation>没有可比较的变体：请先量化模型或添加文件，然后在列表中勾选。</translation>
    </message>
    <message>
        <source>No variant is checked: check at least one to compare it with the reference.</source>
        <translation>未勾选任何变体：请至少勾选一个与参考模型比较。</translation>
    </message>
    <message>
        <source>What each variant&apos;s verdict judges, separated by spaces: cosine, sqnr, top1 (e.g. top1&gt;=99%), speedup, smaller (size reduction), each with &gt;= or &lt;= and a value.</source>
        <translation>每个变体的结论所依据的目标，以空格分隔：cosine、sqnr、top1（例如 top1&gt;=99%）、speedup、smaller（体积缩小倍数），各带 &gt;= 或 &lt;= 和一个数值。</translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation>目标：</translation>
    </message>
</context>
<context>
    <name>qs::ui::CoreTuneRunner</name>
    <message>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>sensitivity</source>
        <translation>敏感度</translation>
    </message>
    <message>
        <source>fallback</source>
        <translation>回退</translation>
    </message>
    <message>
        <source>prune</source>
        <translation>剪除</translation>
    </message>
    <message>
        <source>recipe</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>试验</translation>
    </message>
    <message>
        <source>No trial met the target in %1 trials.</source>
        <translation>%1 次试验中没有达到目标的试验。</translation>
    </message>
    <message>
        <source>Trial %1 is the fastest meeting the target (%2 trials).</source>
        <translation>试验 %1 是达到目标的最快结果（共 %2 次试验）。</translation>
    </message>
    <message>
        <source>FP16 block list</source>
        <translation>FP16 阻止列表</translation>
    </message>
    <message>
        <source>16-bit fallback</source>
        <translation>16 位回退</translation>
    </message>
    <message numerus="yes">
        <source>(%n node(s) with 16-bit activations)</source>
        <translation>
            <numerusform>（%n 个节点使用 16 位激活值）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qs::ui::DiagnosticsDock</name>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>&amp;Diagnostics</source>
        <translation>诊断(&amp;D)</translation>
    </message>
</context>
<context>
    <name>qs::ui::DiagnosticsModel</name>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
</context>
<context>
    <name>qs::ui::DimValuesEdit</name>
    <message>
        <source>Sizes for the dims the model leaves open: the symbols, such as &apos;seq&apos;, in the shapes the Inspector shows. Write SYMBOL=SIZE, separated by commas: seq=128, batch=1.
Random inputs need a size for every symbol other than the batch (1) and an image&apos;s height and width (the image size). The samples of a data folder must match the sizes given. Same as quantscope-cli&apos;s --dim SYMBOL=VALUE.</source>
        <translation>模型未固定的维度的大小：即检查器所示形状中的符号，例如“seq”。写成 符号=大小，用逗号分隔：seq=128, batch=1。
随机输入需要为除批次维（1）和图像高宽（取图像尺寸）以外的每个符号给出大小。数据文件夹中的样本必须与给出的大小一致。等同于 quantscope-cli 的 --dim SYMBOL=VALUE。</translation>
    </message>
    <message>
        <source>Dynamic dims:</source>
        <translation>动态维度：</translation>
    </message>
    <message>
        <source>Dynamic dims: %1</source>
        <translation>动态维度：%1</translation>
    </message>
    <message>
        <source>SYMBOL=SIZE, e.g. seq=128</source>
        <translation>符号=大小，例如 seq=128</translation>
    </message>
</context>
<context>
    <name>qs::ui::ExclusionPanel</name>
    <message>
        <source>Nodes kept in float</source>
        <translation>保持浮点的节点</translation>
    </message>
    <message>
        <source>Node name</source>
        <translation>节点名称</translation>
    </message>
    <message>
        <source>Op types kept in float</source>
        <translation>保持浮点的算子类型</translation>
    </message>
    <message>
        <source>Op type, e.g. Softmax</source>
        <translation>算子类型，例如 Softmax</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>The model has no node named &apos;%1&apos;.</source>
        <translation>模型中没有名为“%1”的节点。</translation>
    </message>
</context>
<context>
    <name>qs::ui::Fp16TuneRunner</name>
    <message>
        <source>all nodes in float16</source>
        <translation>所有节点均为 float16</translation>
    </message>
    <message>
        <source>float32: %1</source>
        <translation>float32：%1</translation>
    </message>
    <message>
        <source> (overflow)</source>
        <translation>（溢出）</translation>
    </message>
    <message>
        <source>This build tunes FP16 block lists: choose FP16 on the Quantize page. The INT8 recipe search comes with the tune trial runner.</source>
        <translation>此版本调优 FP16 阻止列表：请在“量化”页选择 FP16。INT8 方案搜索将随调优试验运行器提供。</translation>
    </message>
    <message>
        <source>The FP16 search measures output cosine or SQNR, not %1.</source>
        <translation>FP16 搜索衡量输出余弦相似度或 SQNR，而不是 %1。</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) kept in float32</source>
        <translation>
            <numerusform>%n 个节点保持为 float32</numerusform>
        </translation>
    </message>
    <message>
        <source>The target is not met even with every node in float32.</source>
        <translation>即使所有节点都保持 float32，也达不到目标。</translation>
    </message>
    <message>
        <source>%1 after %2 trials.</source>
        <translation>%1，共 %2 次试验。</translation>
    </message>
    <message>
        <source>%1 after %2 trials (budget spent; not minimal).</source>
        <translation>%1，共 %2 次试验（预算已用尽；未必最小）。</translation>
    </message>
</context>
<context>
    <name>qs::ui::GraphExport</name>
    <message>
        <source>There is no graph to export.</source>
        <translation>没有可导出的图。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The picture is too large for memory; export the visible region instead.</source>
        <translation>图片太大，内存不足；请改为导出可见区域。</translation>
    </message>
    <message>
        <source>Cannot encode the PNG for %1.</source>
        <translation>无法为 %1 编码 PNG。</translation>
    </message>
</context>
<context>
    <name>qs::ui::GraphOverlays</name>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>MatMul / Gemm</source>
        <translation>MatMul / Gemm</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>Elementwise / reduction</source>
        <translation>逐元素 / 归约</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Shape and data movement</source>
        <translation>形状与数据搬移</translation>
    </message>
    <message>
        <source>Quantize / dequantize</source>
        <translation>量化 / 反量化</translation>
    </message>
    <message>
        <source>Control flow</source>
        <translation>控制流</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Collapsed group</source>
        <translation>已折叠的分组</translation>
    </message>
    <message>
        <source>Graph input / output</source>
        <translation>图输入 / 输出</translation>
    </message>
    <message>
        <source>Kept in float by you</source>
        <translation>由你保持为浮点</translation>
    </message>
    <message>
        <source>Left in float by the last Quantize run</source>
        <translation>上次量化运行保留为浮点</translation>
    </message>
    <message>
        <source>Quantized or not eligible</source>
        <translation>已量化或不适用</translation>
    </message>
    <message>
        <source>No Quantize run yet</source>
        <translation>尚未运行量化</translation>
    </message>
    <message>
        <source>Op type</source>
        <translation>算子类型</translation>
    </message>
    <message>
        <source>Quantization state</source>
        <translation>量化状态</translation>
    </message>
    <message>
        <source>Per-node SQNR (Compare)</source>
        <translation>逐节点 SQNR（比较）</translation>
    </message>
    <message>
        <source>&lt;= 10 dB (worst)</source>
        <translation>&lt;= 10 dB（最差）</translation>
    </message>
    <message>
        <source>&gt;= 40 dB</source>
        <translation>&gt;= 40 dB</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>No comparison with per-node error yet</source>
        <translation>尚无包含逐节点误差的比较</translation>
    </message>
    <message>
        <source>No per-node error</source>
        <translation>无逐节点误差</translation>
    </message>
    <message>
        <source>Left in float: %1</source>
        <translation>保留为浮点：%1</translation>
    </message>
    <message>
        <source>Per-node time (profile)</source>
        <translation>逐节点耗时（性能剖析）</translation>
    </message>
    <message>
        <source>Sensitivity (Tune)</source>
        <translation>敏感度（调优）</translation>
    </message>
    <message>
        <source>&gt;= 10 % of the FP32 model&apos;s time</source>
        <translation>&gt;= FP32 模型耗时的 10 %</translation>
    </message>
    <message>
        <source>1 %</source>
        <translation>1 %</translation>
    </message>
    <message>
        <source>0 %</source>
        <translation>0 %</translation>
    </message>
    <message>
        <source>No time of its own (fused into another step)</source>
        <translation>无单独耗时（已融合到其他步骤）</translation>
    </message>
    <message>
        <source>Not timed yet</source>
        <translation>尚未计时</translation>
    </message>
    <message>
        <source>Most sensitive (loss %1)</source>
        <translation>最敏感（损失 %1）</translation>
    </message>
    <message>
        <source>Half of that</source>
        <translation>其一半</translation>
    </message>
    <message>
        <source>Not sensitive</source>
        <translation>不敏感</translation>
    </message>
    <message>
        <source>No Tune run with per-node sensitivity yet</source>
        <translation>尚无带逐节点敏感度的调优运行</translation>
    </message>
    <message>
        <source>Not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>%1 ms per run, %2 % of the FP32 model&apos;s time</source>
        <translation>每次运行 %1 ms，占 FP32 模型耗时的 %2 %</translation>
    </message>
    <message>
        <source>Tune sensitivity: loss %1</source>
        <translation>调优敏感度：损失 %1</translation>
    </message>
</context>
<context>
    <name>qs::ui::GraphPage</name>
    <message>
        <source>Find node by name or op type (Enter: next)</source>
        <translation>按名称或算子类型查找节点（回车：下一个）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Show the whole graph (Ctrl+0); Ctrl+1: 100 %</source>
        <translation>显示整个图（Ctrl+0）；Ctrl+1：100 %</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Whole graph as SVG or PNG...</source>
        <translation>整个图导出为 SVG 或 PNG...</translation>
    </message>
    <message>
        <source>Visible region as SVG or PNG...</source>
        <translation>可见区域导出为 SVG 或 PNG...</translation>
    </message>
    <message>
        <source>Constant nodes</source>
        <translation>Constant 节点</translation>
    </message>
    <message>
        <source>Draw Constant nodes; hidden, they are folded into their readers</source>
        <translation>绘制 Constant 节点；隐藏时它们并入读取它们的节点</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Colour by:</source>
        <translation>着色依据：</translation>
    </message>
    <message>
        <source>Layout cancelled; change an option or reopen the page to lay out again.</source>
        <translation>布局已取消；更改选项或重新打开此页以重新布局。</translation>
    </message>
    <message>
        <source>Laying out the graph</source>
        <translation>正在布局图</translation>
    </message>
    <message>
        <source>Layout failed: %1</source>
        <translation>布局失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) in %1 boxes</source>
        <translation>
            <numerusform>%n 个节点，%1 个方框</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Constant node(s) folded into their readers</source>
        <translation>
            <numerusform>%n 个 Constant 节点并入读取它们的节点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>grouped by module path, %n level(s) deep (right-click a group to expand it)</source>
        <translation>
            <numerusform>按模块路径分组，深度 %n 层（右键单击分组可展开）</numerusform>
        </translation>
    </message>
    <message>
        <source>placed in layers (too many boxes for dot) in %1 s</source>
        <translation>分层放置（方框过多，不用 dot），用时 %1 秒</translation>
    </message>
    <message>
        <source>laid out by Graphviz dot in %1 s</source>
        <translation>由 Graphviz dot 布局，用时 %1 秒</translation>
    </message>
    <message>
        <source>No box matches &quot;%1&quot;</source>
        <translation>没有与“%1”匹配的方框</translation>
    </message>
    <message>
        <source>Match %1 of %2</source>
        <translation>第 %1 个，共 %2 个匹配</translation>
    </message>
    <message>
        <source>Go to producer</source>
        <translation>转到生产者</translation>
    </message>
    <message>
        <source>Go to consumer</source>
        <translation>转到消费者</translation>
    </message>
    <message>
        <source>Collapse group %1</source>
        <translation>折叠分组 %1</translation>
    </message>
    <message>
        <source>Copy name</source>
        <translation>复制名称</translation>
    </message>
    <message>
        <source>Expand group</source>
        <translation>展开分组</translation>
    </message>
    <message>
        <source>Export Visible Region</source>
        <translation>导出可见区域</translation>
    </message>
    <message>
        <source>Export Graph</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>SVG pictures (*.svg);;PNG pictures (*.png)</source>
        <translation>SVG 图片 (*.svg);;PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Beside:</source>
        <translation>并排：</translation>
    </message>
    <message>
        <source>Timing every node on a random sample...</source>
        <translation>正在用一个随机样本为每个节点计时...</translation>
    </message>
    <message>
        <source>Cannot time the nodes: %1</source>
        <translation>无法为节点计时：%1</translation>
    </message>
    <message>
        <source>FP32: %1 ms per run, variant: %2 ms (engine profile, one random sample)</source>
        <translation>FP32：每次运行 %1 ms，变体：%2 ms（引擎性能剖析，一个随机样本）</translation>
    </message>
    <message>
        <source>FP32: %1 ms per run (engine profile, one random sample)</source>
        <translation>FP32：每次运行 %1 ms（引擎性能剖析，一个随机样本）</translation>
    </message>
    <message>
        <source>Close subgraphs</source>
        <translation>关闭子图</translation>
    </message>
    <message>
        <source>Expand subgraphs in place</source>
        <translation>就地展开子图</translation>
    </message>
    <message>
        <source>Close subgraphs of %1</source>
        <translation>关闭 %1 的子图</translation>
    </message>
</context>
<context>
    <name>qs::ui::InspectorPage</name>
    <message>
        <source>Filter nodes by name or op type (case-insensitive; regular expressions such as ^(Relu|Sigmoid)$ work)</source>
        <translation>按名称或算子类型筛选节点（不区分大小写；支持 ^(Relu|Sigmoid)$ 这样的正则表达式）</translation>
    </message>
    <message>
        <source>Not a valid regular expression: matching the plain text.</source>
        <translation>不是有效的正则表达式：按纯文本匹配。</translation>
    </message>
    <message>
        <source>Copy name</source>
        <translation>复制名称</translation>
    </message>
    <message>
        <source>Constant nodes hold values, not computations. The op-type counts and the model&apos;s totals include them either way.</source>
        <translation>Constant 节点保存的是数值，而不是计算。无论是否隐藏，算子类型计数和模型总计都包含它们。</translation>
    </message>
    <message>
        <source>Hide Constant nodes (%1)</source>
        <translation>隐藏 Constant 节点（%1）</translation>
    </message>
</context>
<context>
    <name>qs::ui::JobStatusWidget</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>取消正在运行的任务</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>qs::ui::MainWindow</name>
    <message>
        <source>Quantscope</source>
        <translation>Quantscope</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Open an ONNX model with File &gt; Open or drop it here.</source>
        <translation>通过“文件 &gt; 打开模型”打开 ONNX 模型，或将模型拖放到此处。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Model...</source>
        <translation>打开模型(&amp;O)...</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;Variant...</source>
        <translation>打开变体(&amp;V)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Find Node</source>
        <translation>查找节点(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Preferences...</source>
        <translation>首选项(&amp;P)...</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quantize</source>
        <translation>量化(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel &amp;All Jobs</source>
        <translation>取消所有任务(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Inspector</source>
        <translation>检查器(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Quantscope</source>
        <translation>关于 Quantscope(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近文件</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>清除列表</translation>
    </message>
    <message>
        <source>Open ONNX Model</source>
        <translation>打开 ONNX 模型</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <source>Open the FP32 reference model first; variants are compared with it.</source>
        <translation>请先打开 FP32 参考模型；变体将与它进行比较。</translation>
    </message>
    <message>
        <source>Open Variant</source>
        <translation>打开变体</translation>
    </message>
    <message>
        <source>Opened file</source>
        <translation>已打开的文件</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <source>Loading %1</source>
        <translation>正在加载 %1</translation>
    </message>
    <message>
        <source>%1 - Quantscope</source>
        <translation>%1 - Quantscope</translation>
    </message>
    <message>
        <source>IR %1 | opsets: %2 | %3 nodes | %4 parameters | %5</source>
        <translation>IR %1 | opset：%2 | %3 个节点 | %4 个参数 | %5</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <source>Cancel the running jobs and open %1?</source>
        <translation>取消正在运行的任务并打开 %1？</translation>
    </message>
    <message>
        <source>Running now:
%1</source>
        <translation>正在运行：
%1</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>图</translation>
    </message>
    <message>
        <source>&amp;Graph</source>
        <translation>图(&amp;G)</translation>
    </message>
    <message>
        <source>Tune</source>
        <translation>调优</translation>
    </message>
    <message>
        <source>&amp;Tune</source>
        <translation>调优(&amp;T)</translation>
    </message>
</context>
<context>
    <name>qs::ui::MiniMap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation>概览：单击或拖动以移动视图</translation>
    </message>
</context>
<context>
    <name>qs::ui::NodeDetailPane</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>%1
No numeric values to summarize.</source>
        <translation>%1
没有可统计的数值。</translation>
    </message>
    <message>
        <source>%1
min %2   max %3   mean %4   std %5</source>
        <translation>%1
最小值 %2   最大值 %3   均值 %4   标准差 %5</translation>
    </message>
    <message>
        <source>%1
from %2 of %3 values (sampled)</source>
        <translation>%1
基于 %3 个值中的 %2 个（抽样）</translation>
    </message>
    <message>
        <source>%1
%2 NaN/Inf values left out</source>
        <translation>%1
已忽略 %2 个 NaN/Inf 值</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Element type</source>
        <translation>元素类型</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Select a node in the table to see its details.</source>
        <translation>在表格中选择一个节点以查看其详细信息。</translation>
    </message>
    <message>
        <source>%1 (%2, %3 opset %4)%5</source>
        <translation>%1（%2，%3 opset %4）%5</translation>
    </message>
    <message>
        <source>
in subgraph %1</source>
        <translation>
位于子图 %1 中</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>(omitted)</source>
        <translation>（省略）</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>%1 more constant inputs are not shown.</source>
        <translation>另有 %1 个常量输入未显示。</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n constant tensor(s)...</source>
        <translation>
            <numerusform>正在读取 %n 个常量张量...</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading constants</source>
        <translation>正在读取常量</translation>
    </message>
    <message>
        <source>Default value: the node leaves this attribute out.</source>
        <translation>默认值：该节点未设置此属性。</translation>
    </message>
</context>
<context>
    <name>qs::ui::NodeTableModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Op type</source>
        <translation>算子类型</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>域</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>Subgraph</source>
        <translation>子图</translation>
    </message>
    <message>
        <source>All %1 nodes are kept in float by their op type.</source>
        <translation>所有 %1 节点因其算子类型而保持浮点。</translation>
    </message>
    <message>
        <source>Checked nodes are kept in float, in every mode (INT8 and FP16).</source>
        <translation>勾选的节点在所有模式（INT8 和 FP16）下都保持浮点。</translation>
    </message>
    <message>
        <source>Kept in float</source>
        <translation>保持浮点</translation>
    </message>
</context>
<context>
    <name>qs::ui::NodeTimer</name>
    <message>
        <source>Timing every node</source>
        <translation>正在为每个节点计时</translation>
    </message>
</context>
<context>
    <name>qs::ui::OpTypeModel</name>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Op type</source>
        <translation>算子类型</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点数</translation>
    </message>
    <message>
        <source>Checked op types are kept in float, in every mode (INT8 and FP16).</source>
        <translation>勾选的算子类型在所有模式（INT8 和 FP16）下都保持浮点。</translation>
    </message>
    <message>
        <source>Kept in float</source>
        <translation>保持浮点</translation>
    </message>
</context>
<context>
    <name>qs::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>All cores (%1)</source>
        <translation>全部核心（%1）</translation>
    </message>
    <message>
        <source>Threads for calibration and benchmarks:</source>
        <translation>校准和基准测试的线程数：</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Found automatically</source>
        <translation>自动查找</translation>
    </message>
    <message>
        <source>quantscope-ort-runner.js (onnxruntime-node) or quantscope-ort-runner.py (Python&apos;s onnxruntime). Empty: QUANTSCOPE_ORT_RUNNER, else the runners shipped with Quantscope when their runtime is installed.</source>
        <translation>quantscope-ort-runner.js（onnxruntime-node）或 quantscope-ort-runner.py（Python 的 onnxruntime）。留空：使用 QUANTSCOPE_ORT_RUNNER，否则在已安装相应运行时的情况下使用 Quantscope 自带的运行器。</translation>
    </message>
    <message>
        <source>ONNX Runtime runner:</source>
        <translation>ONNX Runtime 运行器：</translation>
    </message>
</context>
<context>
    <name>qs::ui::PreprocessingEditor</name>
    <message>
        <source>model&apos;s</source>
        <translation>模型尺寸</translation>
    </message>
    <message>
        <source>Image height; also the height of random inputs when the model&apos;s height is dynamic</source>
        <translation>图像高度；模型的高度为动态时，也用作随机输入的高度</translation>
    </message>
    <message>
        <source>Image width; also the width of random inputs when the model&apos;s width is dynamic</source>
        <translation>图像宽度；模型的宽度为动态时，也用作随机输入的宽度</translation>
    </message>
    <message>
        <source>x</source>
        <translation>×</translation>
    </message>
    <message>
        <source>Height x width:</source>
        <translation>高 × 宽：</translation>
    </message>
    <message>
        <source>Default ([0,1])</source>
        <translation>默认（[0,1]）</translation>
    </message>
    <message>
        <source>[0,1]</source>
        <translation>[0,1]</translation>
    </message>
    <message>
        <source>[0,255]</source>
        <translation>[0,255]</translation>
    </message>
    <message>
        <source>Pixel range:</source>
        <translation>像素范围：</translation>
    </message>
    <message>
        <source>none, or 1 or 3 values: 0.485, 0.456, 0.406</source>
        <translation>留空，或填 1 个或 3 个值：0.485, 0.456, 0.406</translation>
    </message>
    <message>
        <source>Mean:</source>
        <translation>均值：</translation>
    </message>
    <message>
        <source>none, or 1 or 3 values: 0.229, 0.224, 0.225</source>
        <translation>留空，或填 1 个或 3 个值：0.229, 0.224, 0.225</translation>
    </message>
    <message>
        <source>Std:</source>
        <translation>标准差：</translation>
    </message>
    <message>
        <source>RGB</source>
        <translation>RGB</translation>
    </message>
    <message>
        <source>BGR</source>
        <translation>BGR</translation>
    </message>
    <message>
        <source>Channel order:</source>
        <translation>通道顺序：</translation>
    </message>
    <message>
        <source>Default (NCHW)</source>
        <translation>默认（NCHW）</translation>
    </message>
    <message>
        <source>NCHW</source>
        <translation>NCHW</translation>
    </message>
    <message>
        <source>NHWC</source>
        <translation>NHWC</translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation>布局：</translation>
    </message>
    <message>
        <source>Each image:</source>
        <translation>每张图像：</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not a list of numbers.</source>
        <translation>%1：“%2”不是数字列表。</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>Std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>resize to %1x%2</source>
        <translation>调整尺寸为 %1x%2</translation>
    </message>
    <message>
        <source>resize to %1x%2 (0: the model&apos;s)</source>
        <translation>调整尺寸为 %1x%2（0 表示取模型的尺寸）</translation>
    </message>
    <message>
        <source>resize to the model&apos;s input size</source>
        <translation>调整尺寸为模型的输入尺寸</translation>
    </message>
    <message>
        <source>keep [0,255]</source>
        <translation>保持 [0,255]</translation>
    </message>
    <message>
        <source>scale to [0,1]</source>
        <translation>缩放到 [0,1]</translation>
    </message>
    <message>
        <source>subtract mean (%1)</source>
        <translation>减去均值（%1）</translation>
    </message>
    <message>
        <source>divide by std (%1)</source>
        <translation>除以标准差（%1）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>qs::ui::QuantizeOptions</name>
    <message>
        <source>INT8 dynamic</source>
        <translation>INT8 动态</translation>
    </message>
    <message>
        <source>INT8 static (calibrated)</source>
        <translation>INT8 静态（需校准）</translation>
    </message>
    <message>
        <source>FP16</source>
        <translation>FP16</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>INT8 options</source>
        <translation>INT8 选项</translation>
    </message>
    <message>
        <source>Default (QDQ)</source>
        <translation>默认（QDQ）</translation>
    </message>
    <message>
        <source>QDQ (QuantizeLinear/DequantizeLinear pairs)</source>
        <translation>QDQ（QuantizeLinear/DequantizeLinear 节点对）</translation>
    </message>
    <message>
        <source>QOperator (QLinearConv, QLinearMatMul, ...)</source>
        <translation>QOperator（QLinearConv、QLinearMatMul 等）</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Default (int8)</source>
        <translation>默认（int8）</translation>
    </message>
    <message>
        <source>Default (uint8)</source>
        <translation>默认（uint8）</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>uint8</source>
        <translation>uint8</translation>
    </message>
    <message>
        <source>Weight type:</source>
        <translation>权重类型：</translation>
    </message>
    <message>
        <source>Activation type:</source>
        <translation>激活类型：</translation>
    </message>
    <message>
        <source>Per-channel weight scales</source>
        <translation>逐通道权重缩放因子</translation>
    </message>
    <message>
        <source>Default (on for int8 weights with uint8 activations)</source>
        <translation>默认（int8 权重搭配 uint8 激活时开启）</translation>
    </message>
    <message>
        <source>Reduce range (7-bit weights):</source>
        <translation>缩减范围（7 位权重）：</translation>
    </message>
    <message>
        <source>Symmetric activations</source>
        <translation>对称激活</translation>
    </message>
    <message>
        <source>Default (symmetric for int8 weights)</source>
        <translation>默认（int8 权重时对称）</translation>
    </message>
    <message>
        <source>Symmetric weights:</source>
        <translation>对称权重：</translation>
    </message>
    <message>
        <source>Op types to quantize:</source>
        <translation>要量化的算子类型：</translation>
    </message>
    <message>
        <source>All nodes of those op types</source>
        <translation>这些算子类型的所有节点</translation>
    </message>
    <message>
        <source>Only these nodes:</source>
        <translation>仅量化这些节点：</translation>
    </message>
    <message>
        <source>FP16 options</source>
        <translation>FP16 选项</translation>
    </message>
    <message>
        <source>Keep float32 inputs and outputs</source>
        <translation>保持 float32 输入和输出</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>默认：%1</translation>
    </message>
    <message>
        <source>Default (1e-07)</source>
        <translation>默认（1e-07）</translation>
    </message>
    <message>
        <source>Smallest positive value:</source>
        <translation>最小正值：</translation>
    </message>
    <message>
        <source>Default (10000)</source>
        <translation>默认（10000）</translation>
    </message>
    <message>
        <source>Largest finite value:</source>
        <translation>最大有限值：</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not a positive number.</source>
        <translation>%1：“%2”不是正数。</translation>
    </message>
    <message>
        <source>Smallest positive value</source>
        <translation>最小正值</translation>
    </message>
    <message>
        <source>Largest finite value</source>
        <translation>最大有限值</translation>
    </message>
    <message>
        <source>Op types the FP16 conversion never converts, because their float16 kernels are missing or lose too much (onnxconverter-common&apos;s list by default). To keep other nodes or op types in float, add them to the lists kept in float, which apply to every mode.</source>
        <translation>FP16 转换从不转换的算子类型，因为它们的 float16 内核缺失或精度损失过大（默认为 onnxconverter-common 的列表）。要让其他节点或算子类型保持浮点，请将它们加入“保持浮点”的列表，这些列表对所有模式都有效。</translation>
    </message>
    <message>
        <source>Op types without float16 kernels:</source>
        <translation>无 float16 内核的算子类型：</translation>
    </message>
</context>
<context>
    <name>qs::ui::QuantizePage</name>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Load Recipe...</source>
        <translation>加载配方...</translation>
    </message>
    <message>
        <source>Save Recipe...</source>
        <translation>保存配方...</translation>
    </message>
    <message>
        <source>Recipe (.textproto, as quantscope-cli --recipe):</source>
        <translation>配方（.textproto，与 quantscope-cli --recipe 相同）：</translation>
    </message>
    <message>
        <source>Load Recipe</source>
        <translation>加载配方</translation>
    </message>
    <message>
        <source>Recipes (*.textproto *.txtpb *.pbtxt);;All files (*)</source>
        <translation>配方 (*.textproto *.txtpb *.pbtxt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Recipe</source>
        <translation>保存配方</translation>
    </message>
    <message>
        <source>Recipes (*.textproto)</source>
        <translation>配方 (*.textproto)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Output Model</source>
        <translation>输出模型</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cannot load the recipe: %1</source>
        <translation>无法加载配方：%1</translation>
    </message>
    <message>
        <source>Recipe loaded from %1.</source>
        <translation>已从 %1 加载配方。</translation>
    </message>
    <message>
        <source>Cannot save the recipe: %1</source>
        <translation>无法保存配方：%1</translation>
    </message>
    <message>
        <source>Recipe saved to %1.</source>
        <translation>配方已保存到 %1。</translation>
    </message>
    <message>
        <source>Open a model before quantizing.</source>
        <translation>请先打开模型，再进行量化。</translation>
    </message>
    <message>
        <source>Choose the output file.</source>
        <translation>请选择输出文件。</translation>
    </message>
    <message>
        <source>The output folder %1 does not exist.</source>
        <translation>输出文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>The output %1 would overwrite the input model.</source>
        <translation>输出文件 %1 会覆盖输入模型。</translation>
    </message>
    <message>
        <source>Static quantization needs a calibration folder.</source>
        <translation>静态量化需要校准文件夹。</translation>
    </message>
    <message>
        <source>The calibration folder %1 does not exist.</source>
        <translation>校准文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Quantizing %1</source>
        <translation>正在量化 %1</translation>
    </message>
    <message>
        <source>Quantization cancelled; %1 was not written.</source>
        <translation>量化已取消；未写入 %1。</translation>
    </message>
    <message>
        <source>Quantization failed: %1</source>
        <translation>量化失败：%1</translation>
    </message>
    <message>
        <source>%1 written (%2): %3</source>
        <translation>已写入 %1（%2）：%3</translation>
    </message>
</context>
<context>
    <name>qs::ui::ReportTableModel</name>
    <message>
        <source>%1x</source>
        <translation>%1x</translation>
    </message>
    <message>
        <source>yes (%1)</source>
        <translation>是（%1）</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>大小 (MB)</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>Median (ms)</source>
        <translation>中位数 (ms)</translation>
    </message>
    <message>
        <source>p90 (ms)</source>
        <translation>p90 (ms)</translation>
    </message>
    <message>
        <source>Speedup</source>
        <translation>加速比</translation>
    </message>
    <message>
        <source>Worst cosine</source>
        <translation>最差余弦相似度</translation>
    </message>
    <message>
        <source>Worst SQNR (dB)</source>
        <translation>最差 SQNR (dB)</translation>
    </message>
    <message>
        <source>NaN/Inf</source>
        <translation>NaN/Inf</translation>
    </message>
    <message>
        <source>Median of each round (ms): %1</source>
        <translation>每轮的中位数（ms）：%1</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>p90/median</source>
        <translation>p90/中位数</translation>
    </message>
    <message>
        <source>Round spread</source>
        <translation>轮间波动</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参考</translation>
    </message>
    <message>
        <source>%1x smaller</source>
        <translation>小 %1 倍</translation>
    </message>
    <message>
        <source>%1x larger</source>
        <translation>大 %1 倍</translation>
    </message>
    <message>
        <source>%1x faster</source>
        <translation>快 %1 倍</translation>
    </message>
    <message>
        <source>%1x slower</source>
        <translation>慢 %1 倍</translation>
    </message>
    <message>
        <source>top-1 %1%</source>
        <translation>top-1 %1%</translation>
    </message>
    <message>
        <source>cosine %1</source>
        <translation>余弦 %1</translation>
    </message>
    <message>
        <source>%1: meets targets</source>
        <translation>%1：达到目标</translation>
    </message>
    <message>
        <source>%1: misses %2</source>
        <translation>%1：未达到 %2</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>ONNX Runtime was not run.</source>
        <translation>未运行 ONNX Runtime。</translation>
    </message>
    <message>
        <source>No ONNX Runtime runner: %1</source>
        <translation>没有 ONNX Runtime 运行器：%1</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>%1: median %2 ms, p90 %3 ms; its outputs against ours: worst cosine %4, max abs %5. Ours/ORT above 1: our engine is slower.</source>
        <translation>%1：中位数 %2 ms，p90 %3 ms；其输出与本引擎输出相比：最差余弦 %4，最大绝对误差 %5。本引擎/ORT 大于 1 表示本引擎更慢。</translation>
    </message>
    <message>
        <source>ONNX Runtime (ms)</source>
        <translation>ONNX Runtime (ms)</translation>
    </message>
    <message>
        <source>Ours/ORT</source>
        <translation>本引擎/ORT</translation>
    </message>
</context>
<context>
    <name>qs::ui::SensitivityChart</name>
    <message>
        <source>Sensitivity per node (graph order)</source>
        <translation>各节点敏感度（按图顺序）</translation>
    </message>
    <message>
        <source>Metric loss</source>
        <translation>指标损失</translation>
    </message>
</context>
<context>
    <name>qs::ui::TrialScatterChart</name>
    <message>
        <source>Trials</source>
        <translation>试验</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>延迟 (ms)</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>帕累托前沿</translation>
    </message>
</context>
<context>
    <name>qs::ui::TrialTableModel</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>延迟 (ms)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Kept float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <source>Meets target</source>
        <translation>达到目标</translation>
    </message>
</context>
<context>
    <name>qs::ui::TunePage</name>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Target and budget</source>
        <translation>目标与预算</translation>
    </message>
    <message>
        <source>Output cosine</source>
        <translation>输出余弦相似度</translation>
    </message>
    <message>
        <source>Output SQNR (dB)</source>
        <translation>输出 SQNR (dB)</translation>
    </message>
    <message>
        <source>Top-1 agreement</source>
        <translation>Top-1 一致率</translation>
    </message>
    <message>
        <source>Mask IoU at 0.3</source>
        <translation>阈值 0.3 的掩码 IoU</translation>
    </message>
    <message>
        <source>&gt;=</source>
        <translation>&gt;=</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <source>Held-out images or tensors, not the calibration folder (empty: random)</source>
        <translation>留出的图像或张量，不是校准文件夹（留空：随机输入）</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Evaluation Folder</source>
        <translation>评估文件夹</translation>
    </message>
    <message>
        <source>Evaluation folder:</source>
        <translation>评估文件夹：</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> trials</source>
        <translation> 次试验</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation>预算：</translation>
    </message>
    <message>
        <source>Keep the most sensitive nodes float</source>
        <translation>让最敏感的节点保持浮点</translation>
    </message>
    <message>
        <source>Try calibration recipes</source>
        <translation>尝试校准方案</translation>
    </message>
    <message>
        <source>Recipes, then fallback</source>
        <translation>先试方案，再回退</translation>
    </message>
    <message>
        <source>INT8 only; an FP16 recipe searches its block list</source>
        <translation>仅适用于 INT8；FP16 方案搜索其阻止列表</translation>
    </message>
    <message>
        <source>Search:</source>
        <translation>搜索：</translation>
    </message>
    <message>
        <source>Start Tuning</source>
        <translation>开始调优</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Apply to Quantize</source>
        <translation>应用到量化</translation>
    </message>
    <message>
        <source>Load the selected trial&apos;s recipe into the Quantize page</source>
        <translation>将所选试验的方案载入“量化”页</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>请先打开模型。</translation>
    </message>
    <message>
        <source>No tune run is available in this build.</source>
        <translation>此版本没有可用的调优运行。</translation>
    </message>
    <message>
        <source>Tune</source>
        <translation>调优</translation>
    </message>
    <message>
        <source>Cancelled; the trials so far are kept.</source>
        <translation>已取消；保留目前的试验结果。</translation>
    </message>
    <message>
        <source>This run measured no per-node sensitivity.</source>
        <translation>本次运行没有测量各节点的敏感度。</translation>
    </message>
    <message>
        <source>Tuning %1</source>
        <translation>正在调优 %1</translation>
    </message>
    <message>
        <source>Tune trial %1</source>
        <translation>调优试验 %1</translation>
    </message>
    <message>
        <source>Trial %1&apos;s recipe was loaded into the Quantize page.</source>
        <translation>试验 %1 的方案已载入“量化”页。</translation>
    </message>
    <message>
        <source>The model&apos;s image preprocessing, set on the Quantize or Compare page</source>
        <translation>模型的图像预处理，在“量化”或“比较”页面设置</translation>
    </message>
    <message>
        <source>Preprocessing:</source>
        <translation>预处理：</translation>
    </message>
</context>
<context>
    <name>qs::ui::VariantListModel</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Size ratio</source>
        <translation>大小比例</translation>
    </message>
</context>
<context>
    <name>qs::ui::VariantPane</name>
    <message>
        <source>Draw a quantized variant beside the FP32 model, its nodes matched by name and its quantize/dequantize nodes folded into the op they wrap; both views zoom, pan and select together</source>
        <translation>在 FP32 模型旁绘制量化变体：节点按名称匹配，量化/反量化节点折叠进其包裹的算子；两个视图同步缩放、平移和选择</translation>
    </message>
    <message>
        <source>Nothing beside</source>
        <translation>不并排显示</translation>
    </message>
    <message>
        <source>Open a variant file...</source>
        <translation>打开变体文件...</translation>
    </message>
    <message>
        <source>Open Variant</source>
        <translation>打开变体</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opened file</source>
        <translation>打开的文件</translation>
    </message>
    <message>
        <source>Variant: %1</source>
        <translation>变体：%1</translation>
    </message>
    <message>
        <source>Laying out the variant</source>
        <translation>正在布局变体</translation>
    </message>
    <message>
        <source>Cannot draw the variant: %1</source>
        <translation>无法绘制变体：%1</translation>
    </message>
    <message>
        <source>%1 nodes matched; %2 only in the FP32 model (folded or rewritten by the quantizer), %3 only in the variant; %4 quantize/dequantize nodes folded into the op they wrap</source>
        <translation>已匹配 %1 个节点；%2 个仅在 FP32 模型中（被量化器折叠或改写），%3 个仅在变体中；%4 个量化/反量化节点已折叠进其包裹的算子</translation>
    </message>
</context>
<context>
    <name>qs::ui::VerifyPanel</name>
    <message>
        <source>max abs %1, max rel %2, %3 of %4 mismatched</source>
        <translation>最大绝对误差 %1，最大相对误差 %2，%4 个中 %3 个不匹配</translation>
    </message>
    <message>
        <source>; worst %1: %2, expected %3</source>
        <translation>；最差 %1：%2，期望 %3</translation>
    </message>
    <message>
        <source>Against saved outputs</source>
        <translation>与保存的输出比较</translation>
    </message>
    <message>
        <source>folder with &lt;input&gt;.npy and &lt;output&gt;.npy</source>
        <translation>包含 &lt;输入&gt;.npy 和 &lt;输出&gt;.npy 的文件夹</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>e.g. 1,3,8 (empty: no batch check)</source>
        <translation>例如 1,3,8（留空：不检查批大小）</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Saved values</source>
        <translation>保存的数值</translation>
    </message>
    <message>
        <source>rtol</source>
        <translation>rtol</translation>
    </message>
    <message>
        <source>atol</source>
        <translation>atol</translation>
    </message>
    <message>
        <source>Batch sizes</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>rtol and atol must be numbers &gt;= 0 and the batch sizes integers &gt;= 1, separated by commas</source>
        <translation>rtol 和 atol 必须是 &gt;= 0 的数，批大小必须是 &gt;= 1 的整数，以逗号分隔</translation>
    </message>
    <message>
        <source>Verify against saved outputs</source>
        <translation>与保存的输出比较验证</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not checked: no saved output</source>
        <translation>未检查：没有保存的输出</translation>
    </message>
    <message>
        <source>batch %1: </source>
        <translation>批大小 %1：</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source> (batch check does not apply: %1)</source>
        <translation>（批大小检查不适用：%1）</translation>
    </message>
</context>
<context>
    <name>qs::ui::Workbench</name>
    <message>
        <source>FP32 reference</source>
        <translation>FP32 参考模型</translation>
    </message>
</context>
</TS>
