"""Offline demo: the stories of "ModelBeat", a fictional English site on AI models and tools."""

from __future__ import annotations

from warta.demo.model import Story

# Every company, person and product below is invented for warta's demo.
STORIES: tuple[Story, ...] = (
    Story(
        slug="hardbench-evaluation-suite-launch",
        title="HardBench wants to be the benchmark frontier models cannot saturate",
        authors=("Chloe Martin",),
        published="2025-01-09T16:00:00+00:00",
        section="Research",
        tags=("Benchmarks", "Evaluation", "Research"),
        dek="A consortium of universities will keep most questions secret and replace a fifth "
        "of them every quarter.",
        paragraphs=(
            "A consortium of eleven universities has launched HardBench, an evaluation suite of "
            "3,000 problems written by domain experts and designed to stay difficult for the "
            "most capable AI systems for several years.",
            "Only 300 sample questions are public. The rest are held on the consortium's servers, "
            "and model developers submit their systems for grading through an interface that "
            "never reveals the questions in bulk. A fifth of the set will be retired and "
            "replaced every quarter.",
            "The best model tested so far scores 23 percent. Human experts answering questions "
            "within their own field score around 80 percent, while the same experts score 31 "
            "percent outside their specialty.",
            "Project lead Professor Ramon Castillo said popular benchmarks now saturate within a "
            'year of release. "Once everyone scores above 90 percent, the number stops telling '
            'you anything about which model to use," he said.',
            "Critics note that a private test set asks developers to trust the organizers, and "
            "that expert-written puzzles may not reflect the everyday tasks for which most "
            "people use these systems.",
        ),
    ),
    Story(
        slug="tessellate-releases-400b-mixture-of-experts",
        title="Tessellate releases a 400B mixture-of-experts model that activates 22B per token",
        authors=("Jonas Weber",),
        published="2025-02-13T10:30:00+00:00",
        section="Models",
        tags=("Mixture of experts", "Open weights", "LLM"),
        dek="The sparse design lets the model run on a single eight-GPU server despite its size.",
        paragraphs=(
            "Tessellate Labs has released the weights of T4, a language model with 400 billion "
            "parameters split among 128 experts, of which eight are active for any given token. "
            "That means each token passes through only about 22 billion parameters.",
            "The sparse design lets T4 run on a single server with eight high-memory GPUs, and "
            "Tessellate says its serving cost is close to that of a dense 30-billion-parameter "
            "model while quality approaches much larger dense systems.",
            "Training mixture-of-experts models is notoriously unstable: some experts end up "
            "handling most tokens while others sit idle. Tessellate's technical report describes "
            "a load-balancing method that adjusts a bias term per expert instead of adding an "
            "extra loss, which the team says avoided collapse during training.",
            "The model is released under a license that allows commercial use, with a "
            "requirement to disclose use in products serving more than 50 million monthly users.",
        ),
    ),
    Story(
        slug="enterprise-rag-survey-2025",
        title="Survey: most enterprise RAG projects stall between pilot and production",
        authors=("Chloe Martin", "Arjun Mehta"),
        published="2025-03-20T08:45:00+00:00",
        section="Enterprise",
        tags=("RAG", "Enterprise AI", "Surveys"),
        dek="Permissions, stale documents and evaluation, not model quality, are the main "
        "blockers, IT leaders say.",
        paragraphs=(
            "Fewer than a third of the retrieval-augmented generation projects started by large "
            "companies last year have reached production, according to a survey of 600 IT "
            "leaders by the research firm Northgate Analytics.",
            "Respondents rarely blamed the language model itself. The most common obstacles were "
            "enforcing document permissions, so that employees only get answers drawn from files "
            "they are allowed to see, and keeping indexes in sync with documents that change "
            "daily.",
            "Evaluation came third. Many teams said they had no agreed way to measure whether an "
            "answer was correct, and relied on small groups of employees rating responses by hand.",
            "Projects that did reach production tended to be narrow: a support assistant over "
            "product manuals, or a tool that drafts answers to security questionnaires from past "
            "responses.",
            "Northgate analyst Mei Tan said budgets are shifting from model access toward data "
            'engineering. "The boring plumbing is where the money goes now," she said.',
        ),
    ),
    Story(
        slug="gpu-cloud-price-war-h-class-rental",
        title="GPU rental prices fall 40 percent as new clouds fight for AI customers",
        authors=("Arjun Mehta",),
        published="2025-04-24T12:00:00+00:00",
        section="Infrastructure",
        tags=("GPU cloud", "Pricing", "Compute"),
        dek="Oversupply of last-generation accelerators is pushing hourly prices down, while "
        "the newest chips remain scarce.",
        paragraphs=(
            "The hourly price of renting a last-generation data-center GPU has fallen about 40 "
            "percent in six months, according to price data collected by the marketplace "
            "ComputeIndex across 30 providers.",
            "Dozens of smaller cloud companies bought large batches of accelerators during the "
            "shortage of the past two years, often financed with debt. Now that supply has "
            "caught up, they are cutting prices to keep their machines busy.",
            "The newest generation of chips remains scarce and expensive, with multi-month "
            "waiting lists at most providers. Buyers are increasingly splitting workloads: "
            "training on the newest hardware and serving models on cheaper, older cards.",
            "Analysts warn that some providers may struggle to repay loans secured against "
            "hardware whose resale value is falling quickly.",
        ),
    ),
    Story(
        slug="speech-model-low-resource-languages-open-release",
        title="Open speech model recognizes 300 languages, including dozens with no prior system",
        authors=("Fatima Bello",),
        published="2025-05-15T09:20:00+00:00",
        section="Research",
        tags=("Speech", "Low-resource languages", "Open source"),
        dek="Researchers used recordings of religious texts and community radio to reach "
        "languages with little written material.",
        paragraphs=(
            "Researchers at the Polyglot Speech Initiative have released an open speech "
            "recognition model covering 300 languages, about 40 of which had no publicly "
            "available recognition system before.",
            "To reach languages with little written material, the team combined readings of "
            "widely translated texts with hours of community radio transcribed by native "
            "speakers paid through local universities.",
            "Error rates vary widely. For major languages the model is close to commercial "
            "systems, while for the least-resourced languages roughly one word in four is still "
            "wrong. The researchers say even that level is useful for searching archives of "
            "recorded speech.",
            "Community partners retain rights over the recordings they contributed and can "
            "withdraw them from future training runs, an arrangement the team hopes other "
            "projects will copy.",
            "The model and a 4,000-hour evaluation set are available under an open license.",
        ),
    ),
    Story(
        slug="ai-coding-assistants-productivity-study",
        title="Study finds AI coding assistants speed up routine tasks but slow down experts",
        authors=("Jonas Weber",),
        published="2025-06-26T14:30:00+00:00",
        modified="2025-06-27T09:00:00+00:00",
        section="Developer tools",
        tags=("Coding assistants", "Productivity", "Studies"),
        dek="Experienced developers working in codebases they knew well were 12 percent slower "
        "with the tools.",
        paragraphs=(
            "A randomized study of 180 professional software developers found that AI coding "
            "assistants cut the time needed for routine tasks, such as writing tests and small "
            "scripts, by about a quarter.",
            "The picture reversed for experienced developers working in large codebases they "
            "already knew well. They were 12 percent slower with the assistant enabled, largely "
            "because they spent time reviewing and correcting suggestions that did not fit the "
            "project's conventions.",
            "Participants consistently overestimated their gains. Asked afterwards, most believed "
            "the tool had made them faster, including many in the group that measurably slowed "
            "down.",
            "The authors, from the independent lab Fieldwork Research, say companies should "
            "measure outcomes in their own teams rather than rely on vendor claims or "
            "self-reports.",
        ),
    ),
    Story(
        slug="synthetic-data-startup-mirrorset-funding",
        title="Mirrorset raises $75 million to sell synthetic training data to model builders",
        authors=("Fatima Bello",),
        published="2025-07-22T11:10:00+00:00",
        section="Startups",
        tags=("Synthetic data", "Funding", "Training data"),
        dek="The startup generates step-by-step math and code exercises and checks every "
        "answer automatically.",
        paragraphs=(
            "Mirrorset, a startup that produces synthetic training data for language models, has "
            "raised $75 million in a round led by Harbor Point Ventures.",
            "The company generates math problems, programming exercises and multi-step "
            "reasoning tasks, then verifies every answer with automated checkers such as unit "
            "tests and symbolic solvers. Only examples that pass verification are sold.",
            "Chief executive Lucia Ferraro said demand has grown as developers run short of "
            'high-quality human-written text. "The web has been read. What models need now is '
            'practice, and practice can be manufactured," she said.',
            "Researchers caution that models trained heavily on data generated by other models "
            "can lose diversity over successive generations. Mirrorset says it mixes in human "
            "review and deliberately varies problem styles to reduce that risk.",
        ),
    ),
    Story(
        slug="distillation-terms-of-service-dispute",
        title="Lab accuses rival of distilling its model through the API, in breach of its terms",
        authors=("Arjun Mehta",),
        published="2025-08-28T17:45:00+00:00",
        section="Industry",
        tags=("Distillation", "Terms of service", "Competition"),
        dek="Aperture AI says millions of queries from linked accounts were used to train a "
        "competing model.",
        paragraphs=(
            "Aperture AI has accused rival developer Solace Systems of using its public API to "
            "generate millions of responses and then training a competing model on them, a "
            "practice its terms of service prohibit.",
            "Aperture said it detected unusual traffic from a network of linked accounts that "
            "sent structured prompts covering a wide range of topics, and that the rival model "
            "reproduces distinctive phrasings and errors of its own system.",
            "Solace denied wrongdoing and said its model was trained on licensed and publicly "
            "available data. The company said similarities in style are common among models "
            "trained on overlapping web data.",
            "Distillation, in which a smaller model learns from the outputs of a larger one, is a "
            "standard research technique. The dispute turns on whether using a commercial API "
            "this way is a breach of contract, and how such a breach could be proven.",
            "Legal experts say the case may be settled quietly, since neither side is likely to "
            "want its training data examined in court.",
        ),
    ),
    Story(
        slug="sparse-training-cuts-energy-use",
        title="Researchers train a competitive model with 60 percent less energy using sparsity",
        authors=("Chloe Martin",),
        published="2025-09-11T13:00:00+00:00",
        section="Research",
        tags=("Efficiency", "Training", "Energy"),
        dek="The method prunes connections gradually during training instead of after it.",
        paragraphs=(
            "A team at the Aurora Institute of Technology reports training a 7-billion-parameter "
            "language model with 60 percent less energy than a standard dense run, while "
            "matching its scores on common benchmarks to within one point.",
            "The technique removes the weakest connections in the network gradually during "
            "training rather than after it, so that later stages of training operate on a much "
            "smaller effective model. Specialized kernels skip the removed connections entirely.",
            "The gains depend on hardware support for sparse arithmetic, which the newest "
            "accelerators offer only for certain patterns. On older chips the savings shrink to "
            "about 20 percent.",
            "The researchers have released their code and training logs, and say the approach "
            "should scale, though they have not yet tested it above 13 billion parameters.",
        ),
    ),
    Story(
        slug="ai-designed-drug-candidate-enters-phase-one",
        title="AI-designed fibrosis drug candidate enters first human trial",
        authors=("Fatima Bello", "Jonas Weber"),
        published="2025-10-02T07:30:00+00:00",
        section="Science",
        tags=("Drug discovery", "Biotech", "Clinical trials"),
        dek="Helix Forge says generative models cut the time from target to candidate to 18 "
        "months.",
        paragraphs=(
            "Biotech company Helix Forge has dosed the first volunteers in a phase one trial of "
            "HF-201, a candidate drug for lung fibrosis whose molecular structure was proposed by "
            "the company's generative chemistry models.",
            "The company says the models narrowed millions of possible molecules to 80 that were "
            "synthesized and tested in the laboratory, and that the process from choosing a "
            "biological target to nominating a candidate took 18 months, roughly half the "
            "industry norm.",
            "Phase one trials test safety, not effectiveness, and most drug candidates still fail "
            "in later stages. Independent scientists said the real test of AI-driven discovery "
            "will be whether such candidates succeed more often in phase two.",
            "Helix Forge has partnerships with two large drug makers and expects early safety "
            "results next year.",
        ),
    ),
    Story(
        slug="content-provenance-coalition-watermark-standard",
        title="Camera makers and AI labs agree on a common provenance label for images",
        authors=("Jonas Weber",),
        published="2025-10-30T15:15:00+00:00",
        section="Policy",
        tags=("Provenance", "Watermarking", "Standards"),
        dek="The label records whether a picture was captured, edited or generated, and is "
        "cryptographically signed.",
        paragraphs=(
            "A coalition of camera manufacturers, AI developers and news organizations has agreed "
            "on a shared format for labeling how an image was made, covering photographs taken "
            "by a camera, edits made in software, and pictures generated by AI.",
            "The label is embedded in the file and signed with a cryptographic key, so that "
            "tampering can be detected. Generated images also carry an invisible watermark meant "
            "to survive screenshots and compression.",
            "Members have committed to display the label in their products within a year. Several "
            "large social networks have not joined, and labels are routinely stripped when "
            "images are uploaded to platforms that do not support them.",
            "Researchers have shown that invisible watermarks can be removed with moderate "
            "effort, and the coalition concedes the system is designed to help honest creators "
            "prove authenticity rather than to catch determined forgers.",
        ),
    ),
    Story(
        slug="insurers-launch-ai-error-liability-policies",
        title="Insurers start selling cover for losses caused by AI mistakes",
        authors=("Arjun Mehta",),
        published="2025-11-18T10:00:00+00:00",
        section="Business",
        tags=("Insurance", "Risk", "Enterprise AI"),
        dek="Policies pay out when a chatbot gives customers wrong information that leads to "
        "claims.",
        paragraphs=(
            "Several specialist insurers have begun offering policies that cover businesses "
            "against losses caused by errors in their AI systems, such as a customer-service "
            "chatbot promising a refund the company never offered.",
            "Underwriters price the cover by testing the insured company's system themselves, "
            "running thousands of scripted conversations to estimate how often it gives wrong or "
            "unauthorized answers.",
            "Premiums are high and payouts capped, and the policies typically exclude errors that "
            "stem from a company ignoring warnings from its AI vendor. Brokers say demand comes "
            "mostly from airlines, retailers and financial firms.",
            "Lawyers expect the market to grow as courts increasingly hold companies responsible "
            "for what their chatbots tell customers, even when the answer was generated without "
            "any human involvement.",
        ),
    ),
)
