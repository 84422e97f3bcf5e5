// Transformers.js on the same fixture models as `bench table`: a warm Grounding DINO detect on cat.png and a warm
// SAM click (encoder + decoder), median of 15 after 3 warm-up calls, one JSON line each. Usage: node peer.mjs FIXTURES
import { mkdtempSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { env, GroundingDinoProcessor, SamProcessor, AutoModelForZeroShotObjectDetection, SamModel, RawImage } from '@huggingface/transformers';

const fixtures = resolve(process.argv[2] ?? '../../../tests/fixtures');
const root = mkdtempSync(join(tmpdir(), 'grounded-peer-'));
env.allowRemoteModels = false;
env.localModelPath = root;

// Transformers.js reads a model folder as <id>/{config, processor files, onnx/<name>.onnx}: link the fixtures so.
function folder(id, files, onnx) {
  mkdirSync(join(root, id, 'onnx'), { recursive: true });
  for (const [name, from] of Object.entries(files)) symlinkSync(join(fixtures, from), join(root, id, name));
  for (const [name, from] of Object.entries(onnx)) symlinkSync(join(fixtures, from), join(root, id, 'onnx', name));
}

async function median(call) {
  for (let i = 0; i < 3; i++) await call();
  const times = [];
  for (let i = 0; i < 15; i++) {
    const start = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[7];
}

try {
  folder('gdino', {
    'config.json': 'gdino/config.json', 'preprocessor_config.json': 'gdino/preprocessor_config.json',
    'tokenizer.json': 'gdino/processor/tokenizer.json', 'tokenizer_config.json': 'gdino/processor/tokenizer_config.json',
  }, { 'model.onnx': 'gdino/model.onnx' });
  folder('sam', { 'config.json': 'sam/config.json', 'preprocessor_config.json': 'sam/preprocessor_config.json' },
    { 'vision_encoder.onnx': 'sam/vision_encoder.onnx', 'prompt_encoder_mask_decoder.onnx': 'sam/prompt_encoder_mask_decoder.onnx' });
  const image = await RawImage.read(join(fixtures, 'images', 'cat.png'));
  const options = { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: 2 } };

  const detectProcessor = await GroundingDinoProcessor.from_pretrained('gdino');
  const detector = await AutoModelForZeroShotObjectDetection.from_pretrained('gdino', options);
  const detectMs = await median(async () => {
    const inputs = await detectProcessor(image, 'a cat. a remote control.');
    const outputs = await detector(inputs);
    detectProcessor.post_process_grounded_object_detection(outputs, inputs.input_ids, { box_threshold: 0.3, text_threshold: 0.25, target_sizes: [image.size.reverse()] });
    image.size.reverse();
  });
  console.log(JSON.stringify({ peer: 'transformers.js 4.3.2', row: 'detect', ms: detectMs }));

  const samProcessor = await SamProcessor.from_pretrained('sam');
  const sam = await SamModel.from_pretrained('sam', options);
  const clickMs = await median(async () => {
    const inputs = await samProcessor(image, { input_points: [[[200, 150]]] });
    const outputs = await sam(inputs);
    await samProcessor.post_process_masks(outputs.pred_masks, inputs.original_sizes, inputs.reshaped_input_sizes);
  });
  console.log(JSON.stringify({ peer: 'transformers.js 4.3.2', row: 'click', ms: clickMs }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
