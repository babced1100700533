"""Offline demo: the stories of "NeuralWire", a fictional English AI-industry news site."""

from __future__ import annotations

from warta.demo.model import Story

# Every company, person and product below is invented for warta's demo.
STORIES: tuple[Story, ...] = (
    Story(
        slug="halcyon-ai-raises-640-million-series-c",
        title="Halcyon AI raises $640 million to build reasoning models for enterprises",
        authors=("Priya Raman",),
        published="2025-01-22T13:00:00-05:00",
        section="Funding",
        tags=("Funding", "Startups", "Reasoning models"),
        dek="The two-year-old startup is now valued at $5.8 billion and plans to triple its "
        "research staff.",
        paragraphs=(
            "Halcyon AI, a San Francisco startup that builds reasoning models for banks and "
            "insurers, has raised $640 million in a Series C round that values the company at "
            "$5.8 billion, more than four times its valuation a year ago.",
            "The round was led by Redwood Crossing Partners, with participation from two "
            "sovereign wealth funds and the venture arm of a large chipmaker. Halcyon said it "
            "would spend most of the money on compute and on tripling its research staff to "
            "about 300 people by the end of next year.",
            "Unlike general-purpose chatbots, Halcyon's models are tuned to work through long "
            "documents such as loan files and claims histories, and to show the steps behind "
            "each answer. Chief executive Marcus Oyelaran said customers care less about "
            "leaderboard scores than about whether an auditor can follow the reasoning.",
            "The company says its annual recurring revenue passed $90 million in December, "
            "mostly from a dozen large financial institutions. Investors are betting that such "
            "vertical model makers can hold their ground as the largest labs push into the same "
            "customers.",
            '"Every big lab says it will serve regulated industries," Oyelaran said. "Very '
            'few of them want to sit in a compliance review for six months. We do."',
        ),
    ),
    Story(
        slug="eu-ai-act-general-purpose-model-rules-compliance-rush",
        title="Model makers rush to meet EU rules for general-purpose AI",
        authors=("Lena Fischer",),
        published="2025-02-10T09:30:00+01:00",
        modified="2025-02-11T16:45:00+01:00",
        section="Policy",
        tags=("Regulation", "EU AI Act", "Policy"),
        dek="Providers must document training data and publish summaries of copyrighted "
        "material used, and smaller developers say the paperwork is heavy.",
        paragraphs=(
            "Developers of general-purpose AI models are racing to prepare the technical "
            "documentation that European rules will soon require, according to a dozen "
            "companies and law firms interviewed by NeuralWire.",
            "Providers will have to keep records of how their models were trained and tested, "
            "share information with companies that build products on top of them, and publish "
            "a summary of the content used for training. Models judged to pose systemic risk "
            "face additional obligations, including adversarial testing and incident reporting.",
            "Large labs have built dedicated compliance teams, but smaller developers say the "
            'burden falls hardest on them. "We are eleven engineers and one of us now spends '
            'half her week on documentation," said Tomas Novak, co-founder of a Prague startup '
            "that releases open-weight speech models.",
            "Lawyers say the biggest open question is how detailed the training-data summaries "
            "must be. Rights holders want enough detail to check whether their works were used; "
            "developers argue that a full list would expose trade secrets.",
            "Officials in Brussels have said they will publish templates and guidance, and that "
            "early enforcement will focus on cooperation rather than fines.",
        ),
    ),
    Story(
        slug="corvane-unveils-inference-accelerator-c2",
        title="Corvane unveils C2 inference chip, claims triple the tokens per watt",
        authors=("Daniel Okafor",),
        published="2025-03-04T11:15:00-08:00",
        section="Hardware",
        tags=("Chips", "Inference", "Hardware"),
        dek="The chip uses a large pool of on-package SRAM to keep model weights close to the "
        "compute units.",
        paragraphs=(
            "Chip startup Corvane has unveiled the C2, an accelerator designed only for running "
            "trained AI models rather than training them. The company claims the chip delivers "
            "three times as many tokens per watt as the leading general-purpose GPU on a "
            "70-billion-parameter language model.",
            "The C2 pairs its compute units with 512 megabytes of on-package SRAM, which lets "
            "a slice of each model's weights stay next to the arithmetic units instead of being "
            "fetched repeatedly from slower memory. Large models are split across many chips "
            "connected by a custom optical link.",
            "Corvane said two cloud providers have signed up to offer C2 capacity in the second "
            "half of the year. It did not disclose pricing, but chief technology officer Aiko "
            "Tanaka said the goal was to cut the cost of serving a chatbot answer by more than "
            "half.",
            "Analysts cautioned that the company's figures come from its own benchmarks and that "
            "software support remains the hardest problem for new chip vendors. Developers "
            "are used to a mature toolchain, and porting models to new hardware can take months.",
        ),
    ),
    Story(
        slug="meridian-70b-open-weight-model-tops-leaderboard",
        title="Open-weight Meridian-70B tops a popular leaderboard, reviving contamination fears",
        authors=("Priya Raman", "Sam Whitfield"),
        published="2025-03-27T15:40:00-04:00",
        section="Models",
        tags=("Open source", "Benchmarks", "LLM"),
        dek="Researchers found several test questions in a public dataset the model was trained "
        "on.",
        paragraphs=(
            "A new open-weight language model from the nonprofit lab Meridian Collective has "
            "taken first place on a widely watched community leaderboard, beating several "
            "proprietary systems many times its size.",
            "Within days, independent researchers reported that dozens of the leaderboard's test "
            "questions appear, nearly word for word, in a public web dataset that Meridian lists "
            "among its training sources. The lab said it had filtered known benchmarks but "
            "acknowledged that paraphrased copies could have slipped through.",
            "The episode highlights a growing problem for the field: as models are trained on "
            "ever larger slices of the web, it becomes harder to guarantee that evaluation "
            "questions were never seen. Some benchmark maintainers now keep their test sets "
            "private and grade submissions on their own servers.",
            "Meridian's director, Olusegun Adeyemi, said the lab would rerun its evaluation on a "
            "freshly written question set and publish the results. Early numbers shared with "
            "NeuralWire show the model's lead shrinking but not disappearing.",
            "Developers have downloaded the model more than 400,000 times since its release, "
            "drawn by a permissive license and strong performance in Spanish and Portuguese.",
        ),
    ),
    Story(
        slug="hospital-network-ambient-ai-scribes-pilot",
        title="Hospital network's AI scribe pilot cuts after-hours charting by a third",
        authors=("Grace Liu",),
        published="2025-04-15T08:00:00-05:00",
        section="Health",
        tags=("Healthcare", "Speech recognition", "Clinical AI"),
        dek="Doctors at Lakeshore Health spent 34 percent less time writing notes at night, but "
        "some patients declined to be recorded.",
        paragraphs=(
            "Lakeshore Health, a network of nine hospitals in the Midwest, says a six-month pilot "
            "of ambient AI scribes reduced the time its physicians spend writing notes after "
            "hours by 34 percent.",
            "The software listens to the conversation between doctor and patient, with the "
            "patient's consent, and drafts a clinical note that the physician reviews and signs. "
            "About 420 clinicians took part, most of them in primary care and emergency medicine.",
            "Dr. Hannah Brooks, a family physician who joined the pilot, said she used to spend "
            'two hours every evening finishing notes. "Now it is closer to forty minutes, and I '
            'actually look at the patient during the visit instead of the screen," she said.',
            "Reviewers found errors in about one in twenty drafts, most often a wrong medication "
            "dose or a symptom attributed to the wrong side of the body. Lakeshore requires "
            "physicians to confirm every note before it enters the record.",
            "Roughly 6 percent of patients declined to be recorded. The network plans to expand "
            "the tool to all of its hospitals next year while keeping consent opt-in.",
        ),
    ),
    Story(
        # typographic quotes on purpose: this page is served as cp1252 bytes declared UTF-8
        slug="publishers-sue-quillstack-over-training-data",
        title="Regional publishers sue Quillstack, alleging articles were copied to train "
        "its model",
        authors=("Sam Whitfield",),
        published="2025-05-06T17:20:00-04:00",
        section="Legal",
        tags=("Copyright", "Lawsuits", "Publishing"),
        dek="The complaint says the AI company ignored crawler blocks and reproduced paywalled "
        "stories.",
        paragraphs=(
            "A group of 14 regional newspaper publishers has sued Quillstack, the maker of a "
            "popular writing assistant, accusing it of copying hundreds of thousands of articles "
            "without permission to train its language model.",
            "The complaint, filed in federal court in New York, alleges that Quillstack's crawler "
            "ignored instructions in the publishers’ site files that asked automated agents not "
            "to collect their pages, and that the assistant can reproduce long passages of "
            "paywalled stories when prompted with their opening lines.",
            "Quillstack said in a statement that it respects publishers' choices, that its "
            "crawler identifies itself, and that it would “vigorously defend” the case. The "
            "company has signed licensing deals with several national outlets over the past year.",
            "Media lawyers say the case could test whether training on news content counts as "
            "fair use when the resulting product competes with the original publishers for "
            "readers' attention.",
        ),
    ),
    Story(
        slug="call-center-operator-replaces-tier-one-support-with-ai-agents",
        title="Call-center operator replaces first-line support with AI agents in three countries",
        authors=("Grace Liu",),
        published="2025-06-02T10:10:00-05:00",
        section="Business",
        tags=("Agents", "Customer service", "Labor"),
        dek="Contactline says resolution times fell, while unions say 2,300 jobs are at risk.",
        paragraphs=(
            "Contactline, one of the world's larger outsourced customer-service companies, says "
            "it has moved first-line support for 40 clients in the Philippines, Colombia and "
            "Poland to AI agents that answer calls and chats and can issue refunds within set "
            "limits.",
            "The company reported that the average time to resolve a simple request fell from "
            "nine minutes to under three, and that customer satisfaction scores stayed roughly "
            "flat. Human staff now handle escalations, complaints and sales.",
            "Unions representing Contactline workers say about 2,300 positions will be cut over "
            "the next year. The company says most affected employees will be offered retraining "
            "as quality reviewers or escalation specialists, though at fewer seats than before.",
            "Labor economists note that call centers have been among the first workplaces where "
            "AI systems replace, rather than assist, a large share of the work, because the "
            "tasks are heavily scripted and already measured minute by minute.",
            "Contactline's chief operating officer, Rafael Mendes, said clients asked for the "
            'change. "They were going to do it with us or without us," he said.',
        ),
    ),
    Story(
        slug="arizona-utility-pauses-data-center-hookups",
        title="Arizona utility pauses new data-center hookups as AI demand strains the grid",
        authors=("Daniel Okafor",),
        published="2025-07-09T12:30:00-07:00",
        section="Infrastructure",
        tags=("Energy", "Data centers", "Grid"),
        dek="Requests for new capacity now exceed the utility's entire current peak load.",
        paragraphs=(
            "Desert Valley Power, a utility serving parts of central Arizona, has stopped "
            "accepting new requests to connect large data centers until at least next spring, "
            "saying demand from AI facilities threatens grid reliability.",
            "The utility said pending requests add up to more than 9 gigawatts, larger than its "
            "entire current peak load. Most come from developers planning campuses for training "
            "and serving AI models.",
            "Regulators will hold hearings on a proposal that would require data-center "
            "customers to pay upfront for new transmission lines and to sign contracts that "
            "commit them to a minimum level of consumption for fifteen years.",
            "Developers warned that the pause would push projects to other states. Local "
            "residents, meanwhile, have raised concerns about water use in a region facing "
            "long-term drought.",
        ),
    ),
    Story(
        slug="pico-small-language-model-runs-on-phones",
        title="Pico, a 1.2-billion-parameter model, brings offline assistants to mid-range phones",
        authors=("Aiden Park",),
        published="2025-08-19T09:00:00-04:00",
        section="Models",
        tags=("Small models", "On-device AI", "Mobile"),
        dek="The model answers in under a second on a three-year-old handset and never sends "
        "data to a server.",
        paragraphs=(
            "Handset software maker Tinyloop has released Pico, a language model with 1.2 "
            "billion parameters that runs entirely on mid-range Android phones and can summarize "
            "messages, draft replies and answer questions about documents stored on the device.",
            "Tinyloop says Pico produces its first words in under a second on a three-year-old "
            "phone and uses about 900 megabytes of memory after compression. Nothing typed into "
            "the assistant leaves the device, a point the company is stressing in markets with "
            "strict data laws.",
            "The model was distilled from a much larger system and trained on a curated mix of "
            "conversations, textbooks and synthetic exercises. It supports twelve languages, "
            "including Indonesian, Vietnamese and Swahili.",
            "Independent testers found Pico capable for short tasks but prone to making up facts "
            "when asked about recent events, which it has no way of looking up offline.",
        ),
    ),
    Story(
        slug="frontier-evaluation-consortium-report-cyber-capabilities",
        title="Safety testers find frontier model can complete half of simulated intrusion tasks",
        authors=("Lena Fischer", "Priya Raman"),
        published="2025-09-23T14:00:00+01:00",
        section="Safety",
        tags=("AI safety", "Evaluations", "Cybersecurity"),
        dek="The Frontier Evaluation Consortium tested a pre-release model under agreement with "
        "its developer.",
        paragraphs=(
            "An independent group of evaluators says a soon-to-be-released AI model completed 48 "
            "percent of a set of simulated network intrusion exercises, up from 19 percent for "
            "the same developer's previous model.",
            "The Frontier Evaluation Consortium, a nonprofit funded by philanthropies and several "
            "governments, tested the model for three weeks before launch under an agreement that "
            "lets it publish findings. The exercises ranged from finding misconfigured servers "
            "to chaining together known software flaws.",
            "The model still failed at tasks requiring long sequences of careful steps and "
            "rarely discovered new vulnerabilities, the report said. But the evaluators warned "
            "that the improvement could lower the skill needed to mount routine attacks.",
            "The developer said it had added safeguards that refuse clearly malicious requests "
            "and would monitor for abuse. The consortium said such safeguards are hard to test "
            "from outside and called for access to logs of refused requests.",
            "Security researchers welcomed the publication but noted that comparable open-weight "
            "models, which cannot be recalled once released, are only a few months behind.",
        ),
    ),
    Story(
        slug="kinetica-humanoid-robots-warehouse-pilot",
        title="Kinetica puts 40 humanoid robots to work in a grocery warehouse",
        authors=("Aiden Park",),
        published="2025-10-14T07:45:00-04:00",
        section="Robotics",
        tags=("Robotics", "Humanoids", "Logistics"),
        dek="The robots move totes between conveyors, a task chosen because it is repetitive "
        "and hard to automate with fixed machinery.",
        paragraphs=(
            "Robotics startup Kinetica has deployed 40 of its humanoid robots in a grocery "
            "distribution warehouse in New Jersey, the largest commercial rollout of two-legged "
            "robots the company is aware of.",
            "The robots lift plastic totes weighing up to 18 kilograms from one conveyor and "
            "place them on another, a job that fixed automation handles poorly because the "
            "building's layout changes with the seasons. Each robot works a 20-hour day and "
            "charges itself during breaks.",
            "Kinetica trains its control software largely in simulation, then fine-tunes it "
            "with a few hours of remote operation by human pilots in the real building. Chief "
            "executive Ingrid Solberg said the robots currently need help about once per hour.",
            "The warehouse operator said no jobs had been cut and that the robots cover night "
            "shifts that were hard to staff. Kinetica charges a monthly fee per robot, which it "
            "says is comparable to the fully loaded cost of one worker per shift.",
        ),
    ),
    Story(
        slug="datavault-acquires-vector-database-startup-lattice",
        title="Datavault buys vector-database startup Lattice for $1.1 billion",
        authors=("Sam Whitfield",),
        published="2025-11-04T16:05:00-05:00",
        section="Deals",
        tags=("Acquisitions", "Databases", "Retrieval"),
        dek="The deal gives the data-platform company a search engine built for AI retrieval "
        "workloads.",
        paragraphs=(
            "Data-platform company Datavault has agreed to acquire Lattice, a four-year-old "
            "startup that makes a database for searching embeddings, for about $1.1 billion in "
            "cash and stock.",
            "Vector databases became a hot category as companies began connecting language "
            "models to their internal documents, a technique known as retrieval-augmented "
            "generation. Lattice says its software handles more than 30 billion vectors for its "
            "largest customer.",
            "Datavault plans to fold Lattice's engine into its core product so that customers can "
            "run keyword, relational and semantic queries in one place. Lattice's open-source "
            "edition will remain available under its current license, the companies said.",
            "The price is a steep discount from Lattice's last private valuation of $2 billion, "
            "reflecting pressure on standalone vector-database makers as established databases "
            "add similar features.",
        ),
    ),
)
