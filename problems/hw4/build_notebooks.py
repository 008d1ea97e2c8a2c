"""Write the starter and full-marks notebooks of Problems 5 and 6.

Run ``python -m problems.hw4.build_notebooks`` from the repository root after
changing any module that a notebook embeds; tests check that the committed
notebooks equal what this script writes.

Why a generator: the notebooks must define the same data set, models,
training helpers and grading rule as the modules the grader trusts
(edgeconfig.py, edgedata.py, models.py, verdict.py, training.py, image.py). The
generator pastes that source into the setup cells (a module's relative imports
dropped: earlier cells define those names), so the two cannot drift apart, and
the starter and solution versions differ only in the graded cells.

Cell marking: a cell the grader runs carries the metadata tag ``setup`` or
``graded`` and starts with the line ``# autograder: setup`` or
``# autograder: graded``. The grader runs only those cells, in order, so
graded cells only assign answers and never use experiment cells.
"""

import ast
from pathlib import Path
from typing import Any

from problems.hw4.p6_inductive_bias import settings, verdict
from problems.notebook_format import Cell, code, md, notebook_json, render

HW4 = Path(__file__).resolve().parent
#: Solution notebooks are reference solutions: they live with the others, out of the students' kit.
REFERENCE = HW4.parent.parent / "reference" / "hw4"
P5 = HW4 / "p5_hand_design_filters"
P6 = HW4 / "p6_inductive_bias"
MARKS = ("setup", "graded")


def module_source(path: Path) -> str:
    """A module's text, pasted unchanged into a setup cell."""
    return path.read_text().strip()


def pasted_source(path: Path) -> str:
    """A package module's text without its relative imports, for a setup cell after the cells that define those names."""
    text = path.read_text()
    lines = text.splitlines()
    dropped = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            dropped.update(range(node.lineno - 1, node.end_lineno))
    return "\n".join(line for index, line in enumerate(lines) if index not in dropped).strip()


def graded(starter: str, solution: str, is_solution: bool) -> Cell:
    """A graded cell in its starter or full-marks form."""
    return code(solution if is_solution else starter, "graded")


def written(name: str, question: str, answer: str, is_solution: bool) -> list[Cell]:
    """A written question: its text, a markdown answer cell and the graded string."""
    answer_md = answer if is_solution else f"_Write your answer in `{name}` below; this cell is for anything more._"
    starter = f"{name} = None  # TODO: replace None with your answer, as a string"
    return [
        md(question),
        md(f"**Answer.** {answer_md}"),
        graded(starter, f"{name} = {answer!r}", is_solution),
    ]


# --------------------------------------------------------------------------- Problem 5

P5_INTRO = """\
# Hand-designed filters (Homework 4, Problem 5)

Design two convolution filters by hand: (a) a blurring (moving-average) filter and (b) an
edge detector. The image is drawn by code (no download), see the cell below.

**Time.** A full run ("Run all") takes a few seconds on a laptop CPU; no section is long.
Open the notebook in Jupyter, VS Code or Colab (the kit's README says how), and check it with
the kit's `python3 check.py` (Windows: `py check.py`) before you upload it.

**Autograding.** The autograder runs only the cells whose first line is `# autograder: setup`
or `# autograder: graded` (they also carry the tags `setup` / `graded`), in order, and calls
`averaging_filtering` and `edge_detecting` on images of its own. Keep those cells free of
plotting and slow code, and do not rename the functions.
"""

P5_AVERAGING_STARTER = """\
def averaging_filtering(image, filter_size=3):
    # TODO: build the filter_size x filter_size moving-average kernel (every entry 1 / filter_size**2).
    kernel = np.zeros((filter_size, filter_size))
    return ndimage.convolve(image, kernel)
"""

P5_AVERAGING_SOLUTION = """\
def averaging_filtering(image, filter_size=3):
    kernel = np.ones((filter_size, filter_size)) / filter_size**2
    return ndimage.convolve(image, kernel)
"""

P5_EDGE_STARTER = """\
def edge_detecting(image):
    # TODO: write a 3 x 3 edge-detection kernel (for example the Laplacian).
    kernel = np.zeros((3, 3))
    return ndimage.convolve(image, kernel)
"""

P5_EDGE_SOLUTION = """\
def edge_detecting(image):
    kernel = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)
    return ndimage.convolve(image, kernel)
"""


def p5_cells(is_solution: bool) -> list[Cell]:
    """HandDesignFilters.ipynb."""
    image_cell = "import matplotlib.pyplot as plt\n\n" + module_source(P5 / "image.py") + """


image = make_test_image()
plt.imshow(image, cmap="gray", vmin=0, vmax=1)
plt.title("original")
plt.axis("off")
plt.show()
"""
    return [
        md(P5_INTRO),
        code("import numpy as np\nfrom scipy import ndimage", "setup"),
        Cell("code", image_cell.strip()),
        md("""\
            ## (a) Blurring filter

            Write the kernel of an n x n averaging filter (every entry 1/n²) in
            `averaging_filtering`; it returns the image convolved with it
            (`scipy.ndimage.convolve`, default `reflect` boundary). The cell after it shows
            the filter for n = 3, 6 and 9. Paste the figure into your written submission.
            """),
        graded(P5_AVERAGING_STARTER, P5_AVERAGING_SOLUTION, is_solution),
        code("""\
            fig, axes = plt.subplots(1, 4, figsize=(16, 4))
            panels = [("original", image)] + [
                (f"{n}x{n} average", averaging_filtering(image, filter_size=n)) for n in (3, 6, 9)
            ]
            for ax, (title, picture) in zip(axes, panels):
                ax.imshow(picture, cmap="gray", vmin=0, vmax=1)
                ax.set_title(title)
                ax.axis("off")
            plt.show()
            """),
        md("""\
            ## (b) Edge detection filter

            Write a 3 x 3 edge-detection kernel in `edge_detecting`. Use the Laplacian
            `[[0, 1, 0], [1, -4, 1], [0, 1, 0]]`; Sobel and Canny are other well-known choices.
            Paste the figure into your written submission.
            """),
        graded(P5_EDGE_STARTER, P5_EDGE_SOLUTION, is_solution),
        code("""\
            fig, axes = plt.subplots(1, 2, figsize=(8, 4))
            for ax, (title, picture) in zip(axes, [("original", image), ("edges", edge_detecting(image))]):
                ax.imshow(picture, cmap="gray")
                ax.set_title(title)
                ax.axis("off")
            plt.show()
            """),
    ]


# --------------------------------------------------------------------------- Problem 6

P6_INTRO = f"""\
# Inductive bias of CNNs (Homework 4, Problem 6)

We compare a tiny CNN (606 parameters) with a three-layer MLP (39,793 parameters) on
synthetic images of horizontal edges, vertical edges and no edge, and see when the CNN's
built-in assumptions (local, shared filters) help and when they hurt.

Labels follow `class_type`: **0 horizontal, 1 vertical, 2 none** (five classes in Q6:
0 horizontal, 1 vertical, 2 diagonal, 3 both, 4 none).

**Autograding.** The autograder runs only the cells whose first line is
`# autograder: setup` or `# autograder: graded` (they also carry the tags `setup` /
`graded`), in order. Graded cells only assign answers: keep them cheap and independent of
the experiment cells, and do not rename their variables. For Q3 and Q4 the autograder
retrains the CNN itself with your numbers on {len(verdict.DRAWS)} data draws of its own and checks for
90 % validation accuracy on a majority of them (on hard draws a little less; the cell after
each question explains it and runs the same check). It accepts 1 to {verdict.MAX_EPOCHS} epochs, a
learning rate in (0, {verdict.MAX_LEARNING_RATE:g}] and an odd kernel size from 1 to {verdict.MAX_GRADED_KERNEL_SIZE}.

**Time.** The experiment cells run the course's numbers of epochs. A full run ("Run all")
takes about 5 to 10 minutes on a laptop CPU (one thread; measured: about 6 minutes of CPU).
The long sections are Q6 (five classes, two sweeps of 200 epochs: about 3 minutes), Q4 and Q5
(sweeps of 300 epochs: about a minute each) and Q3 (its length grows with the number of
epochs you choose: about 20 seconds per 100 epochs). Q1, Q2 and the optional Q7 take
seconds. Run a single section by running the setup cells at the top and then that section's
cells. The graded cells are cheap: the kit's `python3 check.py` (Windows: `py check.py`) runs
them as Gradescope does in a few seconds.
"""

P6_CHECK_TEXT = f"""\
**Check your choice.** The autograder does not grade this notebook's one run: with 10 images
per class the accuracy depends on the draw (which 30 images, which initial weights) as much as
on your numbers. It trains the CNN with your numbers on {len(verdict.DRAWS)} data draws of its own and
holds each draw to a bar:
{verdict.bar_rule()}.
The part passes when a majority of the draws clear their bar. The cell below runs exactly that
check (it is `grade_answers` from `verdict.py`, pasted above), so what it prints is the grade.
"""

P6_HELPERS = """\
import matplotlib.pyplot as plt

# These models are tiny (batches of 10 images of 28 x 28): one thread trains them fastest,
# more threads only add overhead. The experiments (epochs, sizes, seeds) are unchanged.
torch.set_num_threads(1)

EPOCH_SCALE = 1.0  # 1.0 runs the course's numbers of epochs; lower it only for a quick dry run.
SIZES = (10, 30, 50, 100)  # training images per class in the sweeps


def scaled(num_epochs):
    return max(1, round(num_epochs * EPOCH_SCALE))


def filled_in(**answers):
    # True when every named answer is filled in; otherwise says which TODO is left, and the
    # cell skips its experiment, so "Run all" still runs the sections that do not need it.
    missing = [name for name, value in answers.items() if value is None]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        print(f"Fill in the TODO above first: {', '.join(missing)} {verb} still None, so this cell is skipped.")
    return not missing


def fit(model, train_loader, num_epochs, valid_loader=None, learning_rate=0.01):
    # Train with the course's recipe; return the per-epoch history (and the final confusion matrix).
    optimizer = make_optimizer(model, learning_rate)
    criterion = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_acc": [], "valid_loss": [], "valid_acc": []}
    for _ in range(scaled(num_epochs)):
        loss, accuracy = train_epoch(model, train_loader, optimizer, criterion)
        history["train_loss"].append(loss)
        history["train_acc"].append(accuracy)
        if valid_loader is not None:
            result = evaluate(model, valid_loader, criterion, valid_loader.dataset.config["num_classes"])
            history["valid_loss"].append(result.loss)
            history["valid_acc"].append(result.accuracy)
            history["confusion"] = result.confusion
    return history


def cnn_and_mlp(num_classes=3, pooling="max"):
    # The pair the course compares, built right after set_seed(10).
    set_seed(10)
    return {
        "CNN": SimpleCNN(kernel_size=7, num_classes=num_classes, pooling=pooling),
        "MLP": ThreeLayerMLP(num_classes=num_classes),
    }


def loaders(config_overrides, sizes=SIZES, seed=0):
    # Shuffled training loaders (batch 10) per size, and the 50-per-class validation loader.
    train = {
        n: DataLoader(EdgeDataset(make_config(data_per_class=n, **config_overrides), seed=seed),
                      batch_size=10, shuffle=True)
        for n in sizes
    }
    valid_set = EdgeDataset(validation_config(make_config(**config_overrides)), seed=seed)
    return train, DataLoader(valid_set, batch_size=256)


def run_sweep(train_loaders, valid_loader, num_epochs, make_models=cnn_and_mlp, learning_rate=0.01):
    # Fresh models per training set; results[n][name] = (model, history).
    results = {}
    for n, loader in train_loaders.items():
        results[n] = {}
        for name, model in make_models().items():
            results[n][name] = (model, fit(model, loader, num_epochs, valid_loader, learning_rate))
        summary = ", ".join(f"{name} {h['valid_acc'][-1]:.3f}" for name, (_, h) in results[n].items())
        print(f"{n} images per class, final validation accuracy: {summary}")
    return results


def show_examples(dataset, per_class=4, title=""):
    names = dataset.config["class_type"]
    labels = dataset.labels.numpy()
    size = (1.6 * per_class, 1.6 * len(names))
    fig, axes = plt.subplots(len(names), per_class, figsize=size, squeeze=False)
    for row, name in enumerate(names):
        for col, index in enumerate((labels == row).nonzero()[0][:per_class]):
            axes[row, col].imshow(dataset.images[index, 0].numpy(), cmap="gray", vmin=0, vmax=1)
            axes[row, col].set_title(f"{row}: {name}", fontsize=8)
    for ax in axes.flat:
        ax.axis("off")
    fig.suptitle(title)
    plt.show()


def plot_histories(histories, title=""):
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
    for name, history in histories.items():
        for split, style in (("train", "-"), ("valid", "--")):
            if history[f"{split}_loss"]:
                axes[0].plot(history[f"{split}_loss"], style, label=f"{name} {split}")
                axes[1].plot(history[f"{split}_acc"], style, label=f"{name} {split}")
    axes[0].set(title=f"{title} loss", xlabel="epoch")
    axes[1].set(title=f"{title} accuracy", xlabel="epoch", ylim=(0, 1.05))
    axes[1].legend()
    plt.show()


def plot_sweep(results, title=""):
    sizes = list(results)
    for name in results[sizes[0]]:
        plt.plot(sizes, [results[n][name][1]["valid_acc"][-1] for n in sizes], "o-", label=name)
    plt.xlabel("training images per class")
    plt.ylabel("final validation accuracy")
    plt.ylim(0, 1.05)
    plt.title(title)
    plt.legend()
    plt.show()


def plot_kernels(model, title=""):
    # Row 0: the first layer's kernels; row 1 + i: the second layer's kernels of output filter i.
    first = model.conv1.weight.detach()[:, 0].numpy()
    second = model.conv2.weight.detach().numpy()
    n = first.shape[0]
    fig, axes = plt.subplots(1 + n, n, figsize=(1.8 * n, 1.8 * (1 + n)), squeeze=False)
    for j in range(n):
        axes[0, j].imshow(first[j], cmap="gray")
        axes[0, j].set_title(f"conv1 filter {j}", fontsize=8)
        for i in range(n):
            axes[1 + i, j].imshow(second[i, j], cmap="gray")
            axes[1 + i, j].set_title(f"conv2 {j} -> {i}", fontsize=8)
    for ax in axes.flat:
        ax.axis("off")
    fig.suptitle(title)
    plt.show()


def plot_confusions(results, title=""):
    # Validation confusion matrices: rows are true classes, columns predicted classes.
    sizes = list(results)
    names = list(results[sizes[0]])
    size = (3.2 * len(sizes), 3.2 * len(names))
    fig, axes = plt.subplots(len(names), len(sizes), figsize=size, squeeze=False)
    for col, n in enumerate(sizes):
        for row, name in enumerate(names):
            matrix, ax = results[n][name][1]["confusion"], axes[row, col]
            ax.imshow(matrix, cmap="Blues")
            for (i, j), count in np.ndenumerate(matrix):
                ax.text(j, i, count, ha="center", va="center")
            ax.set(title=f"{name}, {n} per class", xlabel="predicted", ylabel="true",
                   xticks=range(len(matrix)), yticks=range(len(matrix)))
    fig.suptitle(title)
    plt.tight_layout()
    plt.show()
"""

P6_QUESTIONS = {
    "p6_1_i": "**(i)** Can you find any interesting patterns in the learned filters?",
    "p6_2_i": "**(i)** Compare the learned kernels, untrained kernels, and edge-detector kernels. What "
    "do you observe?",
    "p6_2_ii": "**(ii)** We freeze the convolutional layer and train only the final layer (classifier). "
    "In a high data regime, the CNN initialized with edge detectors is worse than the CNN "
    "initialized with random weights. Why do you think this happens?",
    "p6_3_i": "**(i)** List every number of epochs that you trained the model with. The final accuracy "
    "of the CNN should be at least 90 % for 10 images per class.",
    "p6_3_ii": "**(ii)** Check the learned kernels. What do you observe?",
    "p6_3_iii": "**(iii)** (optional) With a high number of epochs, the validation loss of the MLP may "
    "increase while its validation accuracy increases. How can we interpret this?",
    "p6_3_iv": "**(iv)** (optional) Do hyperparameter tuning. List the best hyperparameter setting that "
    "you found and report the final accuracy of the CNN and the MLP.",
    "p6_3_v": "**(v)** How much more data is needed for the MLP to get a competitive performance with "
    "the CNN?",
    "p6_4_i": "**(i)** Why do you think the confusion matrix looks like this?",
    "p6_4_ii": "**(ii)** Why do you think the MLP fails to learn the task while the CNN can learn the "
    "task? (Hint: think about the model architecture.)",
    "p6_5_i": "**(i)** What do you observe? What is the reason that the CNN is worse than the MLP? "
    "(Hint: think about the model architecture.)",
    "p6_5_ii": "**(ii)** Assume we increase the kernel size of the CNN. Does the validation accuracy "
    "increase or decrease? Why?",
    "p6_5_iii": "**(iii)** What do the learned kernels look like? Explain why.",
    "p6_6_i": "**(i)** Compare the performance of the CNN with max pooling and average pooling. What "
    "are the advantages of each pooling method?",
}

P6_ANSWERS = {
    "p6_1_i": "The CNN's first-layer kernels become oriented stripe detectors: some respond to horizontal"
    " intensity changes (rows of opposite sign), others to vertical ones, like hand-made edge detectors.",
    "p6_2_i": "Untrained kernels are random noise; the learned kernels develop oriented +/- bands like"
    " the edge detectors, though noisier and not perfectly aligned.",
    "p6_2_ii": "With the conv layers frozen only the linear layer learns, on top of fixed features. The"
    " edge-detector features are hand-picked (two detectors, third filter random, a random frozen second"
    " layer), so with much data a random initialisation whose 3 features happen to be richer can be"
    " separated better; the hand-designed features limit what the classifier can reach.",
    "p6_3_i": "30, 100, 175, 250 and 300 epochs. Accuracy stops improving once the training accuracy"
    " reaches 100 % (about 150-250 epochs, later on some draws); with 10 images per class the CNN's result"
    " then depends on the draw (0.76 to 0.98 at 250 epochs), and the autograder's check passes from"
    " about 200 epochs on, so I report 250.",
    "p6_3_ii": "The learned kernels look like oriented edge detectors (horizontal and vertical bands of"
    " opposite signs).",
    "p6_3_iii": "The MLP becomes over-confident: it keeps classifying more images correctly, but the few"
    " it gets wrong get very confident wrong predictions, so the cross-entropy loss grows (poor"
    " calibration, overfitting of the logits' scale).",
    "p6_3_iv": "lr 0.01, momentum 0.9, batch size 10, 250 epochs: with 10 images per class the CNN"
    " reaches 0.76 to 0.98 depending on the draw, the MLP about 0.6.",
    "p6_3_v": "About ten times more: the MLP needs about 100 images per class (0.94) to approach what the"
    " CNN reaches with 10 to 30 (0.82 to 0.96).",
    "p6_4_i": "The CNN's matrix is nearly diagonal: its shared local filters and global pooling do not"
    " care where the edge is. The MLP puts most shifted edges in the wrong class (often 'none'): it never"
    " saw bright pixels in the lower or right half.",
    "p6_4_ii": "The MLP has a separate weight for every pixel, so what it learned about rows 0-12 says"
    " nothing about rows 14-26. The CNN applies the same filters everywhere and averages over positions"
    " (translation equivariance plus global pooling), so it generalises to new positions.",
    "p6_5_i": "With pixels permuted, neighbouring pixels are no longer neighbours in the image, so the"
    " CNN's assumption of local structure is wrong and its few local filters cannot see an edge; the MLP"
    " does not assume locality (a permutation is just a relabelling of its inputs) and is unaffected.",
    "p6_5_ii": "It increases: a larger kernel covers more of the scattered pixels of an edge, so the CNN"
    " becomes less local and closer to a fully connected layer, which is what the permuted task needs.",
    "p6_5_iii": "They look like noise, without oriented structure: there is no local pattern in the"
    " permuted images for them to match.",
    "p6_6_i": "Max pooling keeps the strongest response in each window, so thin or faint edges survive"
    " downsampling and some shift invariance is gained; average pooling keeps information from all"
    " pixels and gives smoother gradients but dilutes thin edges. Here max pooling is more accurate.",
}


def p6_question(name: str, is_solution: bool) -> list[Cell]:
    """A Problem 6 written question with its answer cells."""
    return written(name, P6_QUESTIONS[name], P6_ANSWERS[name], is_solution)


def p6_cells(is_solution: bool) -> list[Cell]:
    """edge_detection.ipynb."""
    return [
        md(P6_INTRO),
        code(
            """\
            import numpy as np
            import torch
            from torch import nn
            from torch.utils.data import DataLoader
            """,
            "setup",
        ),
        md("## Data set, models and training helpers\n\nThe data set's configuration, a dict of plain values."),
        Cell("code", "# autograder: setup\n" + pasted_source(P6 / "edgeconfig.py"), "setup"),
        md("The synthetic data set, drawn from a configuration."),
        Cell("code", "# autograder: setup\n" + pasted_source(P6 / "edgedata.py"), "setup"),
        md("The two models, and helpers to initialise the CNN with edge detectors and to freeze its convolutions."),
        Cell("code", "# autograder: setup\n" + pasted_source(P6 / "models.py"), "setup"),
        md(
            "How the autograder grades Q3 and Q4: the code below is its own (`verdict.py`), with the values"
            " it accepts, and the cells after Q3 and Q4 call it, so they print the grade you will get."
        ),
        Cell("code", "# autograder: setup\n" + pasted_source(P6 / "verdict.py"), "setup"),
        md("Training for one epoch and evaluation (loss, accuracy, confusion matrix), and the autograder's training run."),
        Cell("code", "# autograder: setup\n" + pasted_source(P6 / "training.py"), "setup"),
        md("Plotting and experiment helpers (not graded)."),
        Cell("code", P6_HELPERS.strip()),
        code("""\
            show_examples(EdgeDataset(make_config(data_per_class=4), seed=0), title="three classes")
            show_examples(EdgeDataset(five_class_config(data_per_class=4), seed=0), title="five classes")
            """),
        md("""\
            ## 1. Overfitting models to a small data set (Q1)

            Build a training set of **10 images per class** of the three-class data
            (`EdgeDataset(make_config(data_per_class=10), seed=...)`) and a `DataLoader` over it
            with **batch size 10** that **shuffles**; assign it to `p6_1_train_loader`. Both
            models are then trained for 500 epochs and should reach about 100 % training accuracy.
            """),
        graded(
            "# TODO: a DataLoader over 10 images per class, batch size 10, shuffled.\n"
            "p6_1_train_loader = None",
            "p6_1_train_loader = DataLoader(\n"
            "    EdgeDataset(make_config(data_per_class=10), seed=0), batch_size=10, shuffle=True\n)",
            is_solution,
        ),
        code("""\
            if filled_in(p6_1_train_loader=p6_1_train_loader):
                q1_models = cnn_and_mlp()
                q1_histories = {name: fit(model, p6_1_train_loader, 500) for name, model in q1_models.items()}
                plot_histories(q1_histories, "Q1, 10 images per class:")
                plot_kernels(q1_models["CNN"], "Q1: learned CNN kernels")
            """),
        *p6_question("p6_1_i", is_solution),
        md("""\
            ## 2. Sweeping the number of training images (Q2)

            Make shuffled training loaders with batch size 10 for **10, 30, 50 and 100** images per
            class, as a dict `p6_2_train_loaders = {10: ..., 30: ..., 50: ..., 100: ...}`, and one
            validation loader `p6_2_valid_loader` over **50 images per class**
            (`validation_config(make_config())`) with batch size 256. Each model is trained for
            30 epochs on each training set.
            """),
        graded(
            "# TODO: {10: loader, 30: loader, 50: loader, 100: loader}, batch size 10, shuffled.\n"
            "p6_2_train_loaders = None\n"
            "# TODO: a DataLoader over the 50-per-class validation set, batch size 256.\n"
            "p6_2_valid_loader = None",
            "p6_2_train_loaders = {\n"
            "    n: DataLoader(\n"
            "        EdgeDataset(make_config(data_per_class=n), seed=0), batch_size=10, shuffle=True\n"
            "    )\n"
            "    for n in (10, 30, 50, 100)\n"
            "}\n"
            "p6_2_valid_loader = DataLoader(\n"
            "    EdgeDataset(validation_config(make_config()), seed=0), batch_size=256\n"
            ")",
            is_solution,
        ),
        code("""\
            if filled_in(p6_2_train_loaders=p6_2_train_loaders, p6_2_valid_loader=p6_2_valid_loader):
                q2_results = run_sweep(p6_2_train_loaders, p6_2_valid_loader, 30)
                plot_sweep(q2_results, "Q2: 30 epochs")
                plot_kernels(cnn_and_mlp()["CNN"], "untrained CNN kernels")
                largest = max(q2_results)
                plot_kernels(q2_results[largest]["CNN"][0], f"learned CNN kernels ({largest} per class)")
                edge_cnn = SimpleCNN(kernel_size=7)
                init_edge_detectors(edge_cnn)
                plot_kernels(edge_cnn, "edge-detector kernels")
            """),
        md("""\
            Now freeze the convolutional layers and train only the final (linear) layer, once with
            the first layer initialised with edge detectors and once with a random initialisation.
            """),
        code("""\
            def frozen_cnns():
                set_seed(10)
                edge_init = SimpleCNN(kernel_size=7)
                init_edge_detectors(edge_init)
                random_init = SimpleCNN(kernel_size=7)
                for model in (edge_init, random_init):
                    freeze_conv_layers(model)
                return {"edge-detector CNN, frozen": edge_init, "random CNN, frozen": random_init}


            if filled_in(p6_2_train_loaders=p6_2_train_loaders, p6_2_valid_loader=p6_2_valid_loader):
                q2_frozen = run_sweep(p6_2_train_loaders, p6_2_valid_loader, 30, make_models=frozen_cnns)
                plot_sweep(q2_frozen, "Q2: only the last layer trained")
            """),
        *p6_question("p6_2_i", is_solution),
        *p6_question("p6_2_ii", is_solution),
        md(f"""\
            ## 3. Checking the training procedure (Q3)

            Thirty epochs are not enough. Choose the number of epochs `p6_3_num_epochs` so that
            **the CNN's final validation accuracy is at least 90 % with 10 images per class**
            (learning rate 0.01, kernel size 7). The autograder retrains the CNN with your number
            (1 to {verdict.MAX_EPOCHS}) on data draws of its own; the cells after the experiment
            say how, and run its check.
            """),
        graded(
            "p6_3_num_epochs = None  # TODO: an int",
            f"p6_3_num_epochs = {settings.P6_3_REFERENCE_NUM_EPOCHS}",
            is_solution,
        ),
        code("""\
            q3_epochs = 30 if p6_3_num_epochs is None else p6_3_num_epochs  # 30: the first pass
            if filled_in(p6_2_train_loaders=p6_2_train_loaders, p6_2_valid_loader=p6_2_valid_loader):
                q3_results = run_sweep(p6_2_train_loaders, p6_2_valid_loader, q3_epochs)
                plot_sweep(q3_results, f"Q3: {q3_epochs} epochs")
                for n in (min(q3_results), max(q3_results)):
                    plot_histories({name: h for name, (_, h) in q3_results[n].items()}, f"{n} per class:")
                plot_kernels(q3_results[10]["CNN"][0], "Q3: learned CNN kernels (10 per class)")
                q3_accuracy = q3_results[10]["CNN"][1]["valid_acc"][-1]
                print(f"CNN, 10 images per class, this notebook's one draw: {q3_accuracy:.3f}.")
                print("With 10 images per class one draw is luck; the next cell gives the grade.")
            """),
        md(P6_CHECK_TEXT),
        code("""\
            # Check your choice: the autograder's own verdict (same draws, same bars), about 10 s.
            if filled_in(p6_3_num_epochs=p6_3_num_epochs):
                print(grade_answers("6.3", train_and_validate, epochs=p6_3_num_epochs).text)
            """),
        *p6_question("p6_3_i", is_solution),
        *p6_question("p6_3_ii", is_solution),
        *p6_question("p6_3_iii", is_solution),
        *p6_question("p6_3_iv", is_solution),
        *p6_question("p6_3_v", is_solution),
        md("""\
            ## 4. Domain shift between training and validation set (Q4)

            With `possible_edge_location_ratio=0.5`, training edges lie only in rows/columns 0-12
            and validation edges only in rows/columns 14-26. Both models are trained for 300
            epochs on each training size.
            """),
        code("""\
            q4_train_loaders, q4_valid_loader = loaders({"possible_edge_location_ratio": 0.5})
            show_examples(q4_train_loaders[10].dataset, title="shifted training data")
            show_examples(q4_valid_loader.dataset, title="shifted validation data")
            q4_results = run_sweep(q4_train_loaders, q4_valid_loader, 300)
            plot_sweep(q4_results, "Q4: domain shift, 300 epochs")
            plot_confusions(q4_results, "Q4: validation confusion matrices")
            """),
        *p6_question("p6_4_i", is_solution),
        *p6_question("p6_4_ii", is_solution),
        md(f"""\
            Now tune the CNN alone on the shifted data with **10 images per class**: choose the number
            of epochs (1 to {verdict.MAX_EPOCHS}), the learning rate (greater than 0, at most
            {verdict.MAX_LEARNING_RATE:g}) and the kernel size (odd, 1 to
            {verdict.MAX_GRADED_KERNEL_SIZE}) so that its validation accuracy is **at least 90 %**
            (the course reached 97-100 % on its one draw). The autograder retrains the CNN with your
            numbers on shifted data draws of its own, as for Q3; the cell after the experiment runs
            its check.
            """),
        graded(
            "p6_4_num_epochs = None  # TODO: an int\n"
            "p6_4_learning_rate = None  # TODO: a float\n"
            "p6_4_kernel_size = None  # TODO: an odd int",
            f"p6_4_num_epochs = {settings.P6_4_REFERENCE_NUM_EPOCHS}\n"
            f"p6_4_learning_rate = {settings.P6_4_REFERENCE_LEARNING_RATE}\n"
            f"p6_4_kernel_size = {settings.P6_4_REFERENCE_KERNEL_SIZE}",
            is_solution,
        ),
        code("""\
            q4_epochs = 300 if p6_4_num_epochs is None else p6_4_num_epochs
            q4_learning_rate = 0.01 if p6_4_learning_rate is None else p6_4_learning_rate
            q4_kernel_size = 7 if p6_4_kernel_size is None else p6_4_kernel_size
            set_seed(10)
            q4_cnn = SimpleCNN(kernel_size=q4_kernel_size)
            q4_history = fit(q4_cnn, q4_train_loaders[10], q4_epochs, q4_valid_loader, q4_learning_rate)
            plot_histories({"CNN": q4_history}, "Q4, tuned CNN, 10 per class:")
            print(f"tuned CNN, shifted validation, this notebook's one draw: {q4_history['valid_acc'][-1]:.3f}.")
            print("With 10 images per class one draw is luck; the next cell gives the grade.")
            """),
        code("""\
            # Check your choice: the autograder's own verdict on Q4 (same draws, same bars), 5-20 s.
            if filled_in(p6_4_num_epochs=p6_4_num_epochs, p6_4_learning_rate=p6_4_learning_rate,
                         p6_4_kernel_size=p6_4_kernel_size):
                print(grade_answers(
                    "6.4", train_and_validate, epochs=p6_4_num_epochs, learning_rate=p6_4_learning_rate,
                    kernel_size=p6_4_kernel_size,
                ).text)
            """),
        md("""\
            ## 5. When the CNN is worse than the MLP (Q5)

            Every image's pixels are shuffled by one fixed permutation (the same for training and
            validation). Both models are trained for 300 epochs. Nothing to fill in here.
            """),
        code("""\
            q5_train_loaders, q5_valid_loader = loaders({"use_permutation": True})
            show_examples(q5_train_loaders[10].dataset, title="permuted images")
            q5_results = run_sweep(q5_train_loaders, q5_valid_loader, 300)
            plot_sweep(q5_results, "Q5: permuted pixels, 300 epochs")
            plot_kernels(q5_results[max(q5_results)]["CNN"][0], "Q5: learned CNN kernels (most data)")
            """),
        *p6_question("p6_5_i", is_solution),
        *p6_question("p6_5_ii", is_solution),
        *p6_question("p6_5_iii", is_solution),
        md("""\
            ## 6. Increasing the number of classes (Q6)

            Five classes: horizontal, vertical, diagonal, both, none. First the CNN against the MLP,
            then the CNN with max pooling against the CNN with average pooling, 200 epochs each.
            """),
        code("""\
            q6_train_loaders, q6_valid_loader = loaders({"num_classes": 5, "class_type": list(FIVE_CLASSES)})
            q6_results = run_sweep(q6_train_loaders, q6_valid_loader, 200, make_models=lambda: cnn_and_mlp(5))
            plot_sweep(q6_results, "Q6: five classes, 200 epochs")


            def max_and_avg_pool():
                max_pool = cnn_and_mlp(5, pooling="max")["CNN"]
                set_seed(10)
                avg_pool = SimpleCNN(num_classes=5, pooling="avg")
                return {"CNN, max pool": max_pool, "CNN, average pool": avg_pool}


            q6_pooling = run_sweep(q6_train_loaders, q6_valid_loader, 200, make_models=max_and_avg_pool)
            plot_sweep(q6_pooling, "Q6: max against average pooling")
            """),
        *p6_question("p6_6_i", is_solution),
        md("""\
            ## 7. (Optional, not graded) Wider and deeper CNNs

            With five classes and 30 images per class, try wider (`num_filters`) or deeper CNNs
            (write your own `nn.Module`); the course's target is above 98 % validation accuracy.
            """),
        code("""\
            q7_train_loader = DataLoader(
                EdgeDataset(five_class_config(data_per_class=30), seed=0), batch_size=10, shuffle=True
            )
            set_seed(10)
            q7_cnn = SimpleCNN(num_filters=8, kernel_size=7, num_classes=5)
            q7_history = fit(q7_cnn, q7_train_loader, 200, q6_valid_loader)
            print(f"wider CNN, five classes, 30 per class: {q7_history['valid_acc'][-1]:.3f}")
            """),
    ]


# --------------------------------------------------------------------------- output

def marked_source(notebook: dict[str, Any], marks: tuple[str, ...] = MARKS) -> list[str]:
    """The source of the cells the grader runs (tagged with one of ``marks``), in order."""
    return [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and set(cell["metadata"].get("tags", [])) & set(marks)
    ]


def notebooks() -> dict[Path, dict[str, Any]]:
    """Every notebook this script writes, by path."""
    return {
        P5 / "HandDesignFilters.ipynb": notebook_json(p5_cells(False), "p5"),
        REFERENCE / "HandDesignFilters.ipynb": notebook_json(p5_cells(True), "p5"),
        P6 / "edge_detection.ipynb": notebook_json(p6_cells(False), "p6"),
        REFERENCE / "edge_detection.ipynb": notebook_json(p6_cells(True), "p6"),
    }


def main() -> None:
    for path, notebook in notebooks().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(notebook))
        print(f"wrote {path.relative_to(HW4.parent.parent)}")


if __name__ == "__main__":
    main()
