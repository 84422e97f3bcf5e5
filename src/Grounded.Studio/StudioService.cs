using System.Reflection;
using System.Text.Json;
using Grounded.Agents.Sandbox;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Outputs;
using Grounded.Outputs.Json;
using Grounded.Pipeline;
using Grounded.Recipes;
using Grounded.Results;
using Grounded.Segmenter;
using Grounded.Settings;
using Grounded.Studio.Api;
using Grounded.Studio.Jobs;
using Grounded.Studio.Sessions;
using Grounded.Studio.Stages;
using Microsoft.AspNetCore.Http;

namespace Grounded.Studio;

/// <summary>
/// What the API does, apart from HTTP: one-shot runs that build the CLI's recipe for the same fields (so the answer
/// is the document <c>grounded segment --json</c> prints), and the interactive session over an uploaded image.
/// </summary>
internal sealed class StudioService(StudioOptions options, StudioModels models, ImageStore store, WorkSlots slots, JobBoard jobs, FileSandbox? sandbox)
{
    private static readonly string[] DetectKeys = KeysOf<DetectOptions>();
    private static readonly string[] EverythingKeys = KeysOf<EverythingOptions>();
    private static readonly string[] InpaintKeys = KeysOf<InpaintOptions>();

    public StudioOptions Options => options;

    public StudioModels Models => models;

    public ImageStore Store => store;

    public JobBoard Jobs => jobs;

    // One-shot calls: the CLI's recipes over the shared models.
    public async Task<string> SegmentOnceAsync(RequestFields fields, CancellationToken cancellationToken)
    {
        using var slot = slots.EnterHeavy();
        var image = await LoadUploadAsync(fields, cancellationToken).ConfigureAwait(false);
        var (recipe, multimask) = SegmentRecipe(fields, image.Image);
        var result = await RunAsync(recipe, image, null, cancellationToken).ConfigureAwait(false);
        return ResultDocument.ToLine(result, multimask);
    }

    public async Task<string> DetectOnceAsync(RequestFields fields, CancellationToken cancellationToken)
    {
        using var slot = slots.EnterHeavy();
        var image = await LoadUploadAsync(fields, cancellationToken).ConfigureAwait(false);
        var result = await RunAsync(DetectRecipe(fields), image, null, cancellationToken).ConfigureAwait(false);
        return ResultDocument.ToLine(result, false);
    }

    public async Task<string> EverythingOnceAsync(RequestFields fields, CancellationToken cancellationToken)
    {
        using var slot = slots.EnterHeavy();
        var image = await LoadUploadAsync(fields, cancellationToken).ConfigureAwait(false);
        var result = await RunAsync(EverythingRecipe(fields), image, null, cancellationToken).ConfigureAwait(false);
        return ResultDocument.ToLine(result, false);
    }

    // Sessions: upload once, prompt often.
    public async Task<ImageInfo> UploadAsync(RequestFields fields, CancellationToken cancellationToken)
    {
        using var slot = slots.EnterHeavy();
        var loaded = fields.Image is not null || fields.Text("name") is null
            ? await LoadUploadAsync(fields, cancellationToken).ConfigureAwait(false)
            : LoadAllowed(fields.Text("name")!);
        var segmenter = await models.SegmenterAsync(cancellationToken).ConfigureAwait(false);
        var entry = store.Add(loaded.Name, loaded.Image);
        // The upload's own token: a page that goes away stops its encoding (and the entry is dropped below).
        entry.Embedding = segmenter.EncodeAsync(loaded.Image, cancellationToken);
        try
        {
            await entry.Embedding.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            store.Remove(entry.Id);
            throw;
        }

        return new ImageInfo(entry.Id, entry.Name, entry.Image.Width, entry.Image.Height);
    }

    public ImageInfo Describe(string id)
    {
        var entry = store.Get(id);
        return new ImageInfo(entry.Id, entry.Name, entry.Image.Width, entry.Image.Height);
    }

    /// <summary>A text prompt (detect + segment) or clicks and boxes (segment) on a held image; the document as the one-shot call's.</summary>
    public async Task<string> SegmentAsync(string id, RequestFields fields, CancellationToken cancellationToken)
    {
        var entry = store.Get(id);
        var (recipe, multimask) = SegmentRecipe(fields, entry.Image);
        // A prompt's first detector run is heavy; the rest (thresholds moved, clicks) are decoder calls at most.
        using var slot = recipe.Steps[0] is DetectRecipeStep ? slots.EnterHeavy() : slots.EnterLight();
        var result = await RunAsync(recipe, (entry.Name, entry.Image), entry, cancellationToken).ConfigureAwait(false);
        return ResultDocument.ToLine(result, multimask);
    }

    public async Task<string> DetectAsync(string id, RequestFields fields, CancellationToken cancellationToken)
    {
        var entry = store.Get(id);
        using var slot = slots.EnterHeavy();
        var result = await RunAsync(DetectRecipe(fields), (entry.Name, entry.Image), entry, cancellationToken).ConfigureAwait(false);
        return ResultDocument.ToLine(result, false);
    }

    /// <summary>The masks under a pointer at the decoder's low resolution: one decoder call, no upscaling.</summary>
    public async Task<PreviewJson> PreviewAsync(string id, RequestFields fields, CancellationToken cancellationToken)
    {
        var entry = store.Get(id);
        var prompts = fields.SamPrompts() ?? throw new InvalidRequestException("A preview needs points or a box.");
        if (prompts.Count != 1)
        {
            throw new InvalidRequestException("A preview is one object: points with at most one box.");
        }

        var (fitted, _) = PromptGeometry.Fit(prompts, entry.Image.Width, entry.Image.Height);
        using var slot = slots.EnterLight();
        var segmenter = await models.SegmenterAsync(cancellationToken).ConfigureAwait(false);
        var embedding = await (entry.Embedding ?? throw new InvalidRequestException("The image has no embedding yet.")).WaitAsync(cancellationToken).ConfigureAwait(false);
        var segment = options.Settings.Segment with { Multimask = fields.Flag("multimask") };
        var preview = await segmenter.PreviewAsync(embedding, fitted[0], segment, cancellationToken).ConfigureAwait(false);
        return PreviewJson.From(preview);
    }

    public StudioJob StartEverything(string id, RequestFields fields)
    {
        var entry = store.Get(id);
        var recipe = EverythingRecipe(fields);
        var everything = ((EverythingRecipeStep)recipe.Steps[0]).Options;
        return jobs.Start("everything", id, async job =>
        {
            job.Report(0, "encoding");
            var segmenter = await models.SegmenterAsync(job.Token).ConfigureAwait(false);
            var progress = new ProgressSegmenter(new SessionSegmenter(segmenter, entry), GridPoints(everything), p => job.Report(p, "decoding"));
            var pipeline = RecipeBuilder.Compose(recipe, null, progress);
            var context = new PipelineContext(entry.Image, entry.Name);
            await pipeline.RunAsync(context, job.Token).ConfigureAwait(false);
            return (System.Text.Encoding.UTF8.GetBytes(ResultDocument.ToLine(context.ToResult(), false)), "application/json");
        });
    }

    /// <summary>Removes or replaces what the given objects' masks cover, with the inpaint step the CLI uses; the result is a PNG.</summary>
    public StudioJob StartEdit(string id, RequestFields fields)
    {
        var entry = store.Get(id);
        var objects = ObjectsOf(fields, entry.Image);
        if (!objects.Any(o => o.Mask is not null))
        {
            throw new InvalidRequestException("Select at least one object with a mask to edit.");
        }

        var inpaint = FieldBinder.Bind(options.Settings.Inpaint, fields.Values, InpaintKeys);
        var kind = inpaint.Inpainter ?? InpainterKind.Classical;
        if (kind == InpainterKind.StableDiffusion && string.IsNullOrWhiteSpace(inpaint.Prompt))
        {
            throw new InvalidRequestException("Say what to paint instead (prompt), e.g. \"a red leather chair\".");
        }

        return jobs.Start("edit", id, async job =>
        {
            job.Report(0, "loading the model");
            var inpainter = await models.InpainterAsync(kind, job.Token).ConfigureAwait(false);
            // Reported as each step ends (Progress<T> would post it to the thread pool, after the job may have ended).
            var steps = new ImmediateProgress<(int Step, int Total)>(p => job.Report((double)p.Step / Math.Max(1, p.Total), $"step {p.Step}/{p.Total}"));
            var context = new PipelineContext(entry.Image, entry.Name);
            context.Objects.AddRange(objects);
            job.Report(0.01, "painting");
            await new InpaintStep(inpainter, inpaint, steps).RunAsync(context, job.Token).ConfigureAwait(false);
            if (kind == InpainterKind.Classical && InpaintStep.ChangedNothing(context))
            {
                // An unchanged picture must not pass for an edit: the fill had no pixels left outside the masks to draw from.
                throw new InvalidRequestException($"Nothing changed: the selected masks, dilated by {inpaint.Dilate} px, leave no pixels for the classical fill to draw from. Select fewer objects, lower dilate, or use LaMa.");
            }
            using var png = new MemoryStream();
            ResultImages.WriteImage(png, context.Inpainted ?? entry.Image);
            return (png.ToArray(), "image/png");
        });
    }

    /// <summary>What is on the page as a file: overlay, masks (index PNG), cut-out, results.json or COCO.</summary>
    public (byte[] Body, string ContentType, string FileName) Export(string id, string format, RequestFields fields)
    {
        var entry = store.Get(id);
        var objects = ObjectsOf(fields, entry.Image);
        var result = new ImageResult(entry.Name, entry.Image.Width, entry.Image.Height, objects, new Dictionary<string, double>(), []);
        string stem = Path.GetFileNameWithoutExtension(entry.Name) is { Length: > 0 } s ? s : "image";
        using var body = new MemoryStream();
        switch (format)
        {
            case "overlay":
                ResultImages.WriteOverlay(body, entry.Image, result);
                return (body.ToArray(), "image/png", $"{stem}.overlay.png");
            case "masks":
                ResultImages.WriteIndexMask(body, result);
                return (body.ToArray(), "image/png", $"{stem}.masks.png");
            case "cutout":
                if (!ResultImages.WriteCutout(body, entry.Image, objects))
                {
                    throw new InvalidRequestException("Nothing to cut out: select objects with masks.");
                }

                return (body.ToArray(), "image/png", $"{stem}.cutout.png");
            case "results":
                ResultDocument.WriteIndented(body, result, includeCandidates: false);
                return (body.ToArray(), "application/json", "results.json");
            case "coco":
                return (CocoOf(entry, result), "application/json", $"{stem}.coco.json");
            default:
                throw new InvalidRequestException($"Unknown export '{RequestFields.Shown(format)}'; expected overlay, masks, cutout, results or coco.");
        }
    }

    public IReadOnlyList<string> ListAllowed()
    {
        if (sandbox is null)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var (prefix, root) in AllowedRoots())
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint, MaxRecursionDepth = 8 };
            foreach (string file in Directory.EnumerateFiles(root, "*", options).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Take(2000 - names.Count))
            {
                names.Add($"{prefix}/{Path.GetRelativePath(root, file).Replace('\\', '/')}");
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff" };

    /// <summary>Each allowed folder under a short name of its own (its folder name, made unique), so no server path reaches the page.</summary>
    private List<(string Prefix, string Root)> AllowedRoots()
    {
        var roots = new List<(string, string)>();
        foreach (string root in sandbox?.ReadRoots ?? [])
        {
            string name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)) is { Length: > 0 } n ? n : "files";
            string prefix = name;
            for (int k = 2; roots.Any(r => r.Item1 == prefix); k++)
            {
                prefix = $"{name}-{k}";
            }

            roots.Add((prefix, root));
        }

        return roots;
    }

    private (string Name, RgbImage Image) LoadAllowed(string name)
    {
        if (sandbox is null)
        {
            throw new InvalidRequestException("Opening files by name is off: start the server with --allow-read DIR.");
        }

        int slash = name.IndexOf('/', StringComparison.Ordinal);
        var root = slash > 0 ? AllowedRoots().FirstOrDefault(r => r.Prefix == name[..slash]) : default;
        if (root.Root is null || Path.IsPathRooted(name[(slash + 1)..]))
        {
            throw new SandboxException($"'{RequestFields.Shown(name)}' is not a file of the allowed folders; pick one from the list.");
        }

        // The sandbox decides: links out of the folder, '..', pipes and devices are refused there.
        string full = Path.Combine(root.Root, name[(slash + 1)..]);
        SandboxFile file;
        try
        {
            file = sandbox.Read(full, options.MaxUploadBytes);
        }
        catch (SandboxException ex)
        {
            // Said with the page's name for the file: the server's folders are not the page's business.
            string message = ex.Message.Replace(full, RequestFields.Shown(name), StringComparison.Ordinal);
            throw new SandboxException(message.Contains(root.Root, StringComparison.Ordinal) ? $"'{RequestFields.Shown(name)}' cannot be opened." : message);
        }

        using var stream = new MemoryStream(file.Bytes, writable: false);
        string shown = Path.GetFileName(name);
        return (shown, ImageLoader.Load(stream, shown, LoadOptions));
    }

    private ImageLoadOptions LoadOptions => new() { MaxPixels = options.MaxPixels, MaxFileBytes = options.MaxUploadBytes };

    private async Task<(string Name, RgbImage Image)> LoadUploadAsync(RequestFields fields, CancellationToken cancellationToken)
    {
        var file = fields.Image ?? throw new InvalidRequestException("Send the image as the form field 'image'.");
        if (file.Length > options.MaxUploadBytes)
        {
            throw new StudioTooLargeException($"The image is {file.Length / 1048576.0:0.#} MB; this server takes at most {options.MaxUploadBytes / 1048576} MB.");
        }

        if (file.Length == 0)
        {
            throw new Imaging.ImageLoadException("The image file is empty.");
        }

        string name = CleanName(file.FileName);
        using var buffer = new MemoryStream((int)file.Length);
        var upload = file.OpenReadStream();
        await using (upload.ConfigureAwait(false))
        {
            await upload.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        buffer.Position = 0;
        return (name, ImageLoader.Load(buffer, name, LoadOptions));
    }

    private static string CleanName(string? fileName)
    {
        string name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'));
        name = new string([.. name.Where(c => !char.IsControl(c)).Take(100)]).Trim();
        return name.Length == 0 || name is "." or ".." ? "image" : name;
    }

    private async Task<ImageResult> RunAsync(Recipe recipe, (string Name, RgbImage Image) image, StudioImage? session, CancellationToken cancellationToken)
    {
        bool detects = recipe.Steps.Any(s => s is DetectRecipeStep);
        bool segments = recipe.Steps.Any(s => s is SegmentRecipeStep or EverythingRecipeStep);
        IDetector? detector = null;
        ISegmenter? segmenter = null;
        if (detects)
        {
            var dino = await models.DetectorAsync(cancellationToken).ConfigureAwait(false);
            detector = session is null ? dino : new SessionDetector(dino, session, models);
        }

        if (segments)
        {
            var sam = await models.SegmenterAsync(cancellationToken).ConfigureAwait(false);
            segmenter = session is null ? sam : new SessionSegmenter(sam, session);
        }

        var pipeline = RecipeBuilder.Compose(recipe, detector, segmenter);
        var context = new PipelineContext(image.Image, image.Name);
        await pipeline.RunAsync(context, cancellationToken).ConfigureAwait(false);
        if (session is null && detects)
        {
            models.CountDetectorRun();
        }

        return context.ToResult();
    }

    /// <summary>The recipe <c>grounded segment</c> builds for the same inputs.</summary>
    private (Recipe Recipe, bool Multimask) SegmentRecipe(RequestFields fields, RgbImage image)
    {
        var s = options.Settings;
        bool multimask = fields.Flag("multimask") || s.Segment.Multimask;
        var segment = s.Segment with { Multimask = multimask };
        var prompts = fields.SamPrompts();
        string? text = fields.Text("prompt");
        if (prompts is null && text is null)
        {
            throw new InvalidRequestException("The prompt is empty: say what to find (e.g. \"the bear\"), or give points / a box.");
        }

        if (prompts is not null && text is not null)
        {
            throw new InvalidRequestException("Give either a text prompt or points/box, not both.");
        }

        if (prompts is not null)
        {
            PromptGeometry.Fit(prompts, image.Width, image.Height);
        }

        var detect = FieldBinder.Bind(s.Detect, fields.Values, DetectKeys);
        s = s with { Detect = detect, Segment = segment };
        RecipeStep[] steps = prompts is null
            ? [new DetectRecipeStep(text!, s.Detect), new SegmentRecipeStep(s.Segment)]
            : [new SegmentRecipeStep(s.Segment, prompts)];
        return (new Recipe { Settings = s, Steps = steps }, multimask);
    }

    private Recipe DetectRecipe(RequestFields fields)
    {
        string text = fields.Text("prompt") ?? throw new InvalidRequestException("The prompt is empty: say what to find, e.g. \"the bear\".");
        var s = options.Settings with { Detect = FieldBinder.Bind(options.Settings.Detect, fields.Values, DetectKeys) };
        return new Recipe { Settings = s, Steps = [new DetectRecipeStep(text, s.Detect)] };
    }

    private Recipe EverythingRecipe(RequestFields fields)
    {
        var s = options.Settings;
        var everything = FieldBinder.Bind(s.Everything, fields.Values, EverythingKeys);
        return new Recipe { Settings = s, Steps = [new EverythingRecipeStep(everything, s.Segment)] };
    }

    private static int GridPoints(EverythingOptions e)
    {
        int total = 0;
        for (int layer = 0; layer <= e.CropNLayers; layer++)
        {
            int side = e.PointsPerSide / (int)Math.Pow(e.CropNPointsDownscaleFactor, layer);
            int crops = layer == 0 ? 1 : (int)Math.Pow(2, layer) * (int)Math.Pow(2, layer);
            total += crops * side * side;
        }

        return total;
    }

    /// <summary>The objects a page sends back (as the documents give them), masks checked against the image's size before any is decoded.</summary>
    private static List<GroundedObject> ObjectsOf(RequestFields fields, RgbImage image)
    {
        if (fields.Json is not { } json || !json.TryGetProperty("objects", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidRequestException("Send a JSON body with \"objects\": the objects as the segment document gives them.");
        }

        if (list.GetArrayLength() > 1000)
        {
            throw new InvalidRequestException("At most 1000 objects per request.");
        }

        var objects = new List<GroundedObject>();
        foreach (var element in list.EnumerateArray())
        {
            if (element.TryGetProperty("mask", out var mask)
                && !(mask.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Array && size.GetArrayLength() == 2
                     && size[0].TryGetInt32(out int h) && size[1].TryGetInt32(out int w) && h == image.Height && w == image.Width))
            {
                throw new InvalidRequestException($"A mask's size must be [{image.Height}, {image.Width}], the image's.");
            }

            ObjectJson? o;
            try
            {
                o = element.Deserialize(GroundedJsonContext.Default.ObjectJson);
            }
            catch (JsonException ex)
            {
                throw new InvalidRequestException($"An object is not as the documents give them: {ex.Message.Split('.')[0]}.");
            }

            if (o is null || o.Box is not { Length: 4 })
            {
                throw new InvalidRequestException("Each object needs a label, a score and a box [x0, y0, x1, y1].");
            }

            objects.Add(new GroundedObject(o.Label ?? string.Empty, o.Phrase ?? string.Empty, (float)o.Score, new Geometry.BoxXyxy((float)o.Box[0], (float)o.Box[1], (float)o.Box[2], (float)o.Box[3]))
            {
                Mask = o.Mask,
                PredictedIou = o.Iou.Value is double iou ? (float)iou : null,
            });
        }

        return objects;
    }

    private static byte[] CocoOf(StudioImage entry, ImageResult result)
    {
        var folder = Directory.CreateTempSubdirectory("grounded-studio-coco-");
        try
        {
            var classes = result.Objects.Select(o => o.Label).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            using var writer = new DatasetWriter(folder.FullName, Outputs.OutputFormats.Coco, classes: classes);
            writer.Add(Path.GetFileNameWithoutExtension(entry.Name), entry.Name, result);
            string coco = writer.Complete() ?? throw new InvalidOperationException("The COCO file was not written.");
            return File.ReadAllBytes(coco);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string[] KeysOf<T>() =>
        [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(SettingNames.KeyOf)];
}

/// <summary>An image held by the server.</summary>
internal sealed record ImageInfo(string Id, string Name, int Width, int Height);
