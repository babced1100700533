"""Offline demo: the stories of "Kabar AI", a fictional Indonesian WordPress news site."""

from __future__ import annotations

from warta.demo.model import Story

# Every company, person and product below is invented for warta's demo.
STORIES: tuple[Story, ...] = (
    Story(
        slug="lintas-nalar-rilis-sapta-13b-model-bahasa-daerah",
        title="Lintas Nalar Rilis Sapta-13B, Model Bahasa yang Fasih Berbahasa Daerah",
        authors=("Rina Kusumawardani",),
        published="2025-01-14T09:20:00+07:00",
        modified="2025-01-15T11:05:00+07:00",
        section="Model AI",
        tags=("LLM", "Bahasa Daerah", "Startup"),
        dek="Startup Jakarta itu melatih modelnya dengan 180 miliar token teks berbahasa "
        "Indonesia, Jawa, Sunda, Bugis dan Minang.",
        paragraphs=(
            "Jakarta – Startup kecerdasan buatan asal Jakarta, Lintas Nalar, merilis Sapta-13B, "
            "model bahasa besar dengan 13 miliar parameter yang dilatih khusus untuk bahasa "
            "Indonesia dan lima bahasa daerah. Model ini dapat diunduh gratis untuk riset dan "
            "dipakai secara komersial oleh perusahaan dengan pendapatan di bawah Rp50 miliar "
            "per tahun.",
            "Menurut salah satu pendiri Lintas Nalar, Arief Santoso, tim mengumpulkan sekitar "
            "180 miliar token dari arsip berita, dokumen pemerintah, naskah sastra yang sudah "
            "masuk domain publik, serta transkrip siaran radio daerah. Porsi bahasa Jawa dan "
            "Sunda masing-masing sekitar tujuh persen, jauh di atas porsinya pada model global.",
            "Dalam uji internal, Sapta-13B menjawab soal pemahaman bacaan berbahasa Sunda dengan "
            "akurasi 71 persen, sementara model global berukuran serupa hanya mencapai 48 persen. "
            "Arief mengakui modelnya masih tertinggal untuk tugas matematika dan pemrograman.",
            "Sejumlah pemerintah daerah disebut sudah menjajaki pemakaian model ini untuk "
            "layanan pengaduan warga. Lintas Nalar juga menyiapkan versi kecil berukuran tiga "
            "miliar parameter yang bisa dijalankan di laptop tanpa kartu grafis khusus.",
            "Peneliti linguistik komputasional Universitas Pelita Harapan Bangsa, Dewi "
            "Anggraini, menilai langkah ini penting, tetapi mengingatkan bahwa kualitas data "
            'bahasa daerah sering tidak merata. "Bahasa Bugis, misalnya, sebagian besar '
            'datanya berasal dari teks keagamaan dan berita, sehingga gaya bahasanya sempit," '
            "ujarnya.",
        ),
    ),
    Story(
        slug="awan-samudra-bangun-pusat-data-ai-120-mw-di-batam",
        title="Awan Samudra Bangun Pusat Data AI 120 MW di Batam",
        authors=("Bayu Prasetyo",),
        published="2025-02-03T14:45:00+07:00",
        section="Infrastruktur",
        tags=("Pusat Data", "GPU", "Batam"),
        dek="Fasilitas berpendingin cair itu ditargetkan beroperasi pada kuartal ketiga 2026 "
        "dan akan menampung puluhan ribu akselerator.",
        paragraphs=(
            "Batam – Perusahaan infrastruktur digital PT Awan Samudra Nusantara memulai "
            "pembangunan pusat data berkapasitas 120 megawatt di kawasan industri Nongsa, Batam. "
            "Fasilitas ini dirancang khusus untuk beban kerja kecerdasan buatan, dengan "
            "pendinginan cair langsung ke chip untuk rak berdaya hingga 130 kilowatt.",
            "Direktur Utama Awan Samudra, Hendra Wijaya, menyebut nilai investasi tahap pertama "
            "mencapai US$850 juta. Sekitar 40 persen kapasitas sudah dipesan oleh dua penyedia "
            "layanan cloud regional yang ingin melayani pelanggan di Indonesia dan Singapura.",
            "Pemilihan Batam didorong oleh kedekatan dengan kabel laut internasional dan "
            "ketersediaan lahan. Namun pasokan listrik menjadi tantangan utama. Perusahaan "
            "menandatangani perjanjian pembelian listrik dari pembangkit tenaga surya terapung "
            "yang akan dibangun di waduk sekitar, ditambah cadangan dari jaringan PLN.",
            "Pengamat energi dari Institut Transisi Hijau, Maya Lestari, mengingatkan bahwa "
            "pusat data AI menyedot air dan listrik dalam jumlah besar. Ia meminta pemerintah "
            "daerah mewajibkan laporan konsumsi air yang terbuka kepada publik setiap tahun.",
        ),
    ),
    Story(
        slug="bank-daerah-andalkan-asisten-virtual-berbasis-llm",
        title="Bank Daerah Andalkan Asisten Virtual Berbasis LLM, Waktu Tunggu Nasabah Turun",
        authors=("Sari Melati", "Yoga Pratama"),
        published="2025-02-19T08:10:00+07:00",
        section="Bisnis",
        tags=("Perbankan", "Chatbot", "Layanan Pelanggan"),
        dek="Bank Pembangunan Daerah Sulawesi Raya mengklaim 62 persen pertanyaan nasabah kini "
        "selesai tanpa petugas.",
        paragraphs=(
            "Makassar – Bank Pembangunan Daerah Sulawesi Raya mulai mengoperasikan asisten "
            "virtual berbasis model bahasa besar di aplikasi seluler dan WhatsApp resminya. "
            "Asisten bernama Tenri itu melayani pertanyaan saldo, pemblokiran kartu, hingga "
            "simulasi cicilan kredit usaha rakyat.",
            "Kepala Divisi Transformasi Digital bank tersebut, Andi Rahmat, mengatakan waktu "
            "tunggu rata-rata nasabah turun dari 11 menit menjadi kurang dari dua menit dalam "
            "tiga bulan uji coba. Sebanyak 62 persen percakapan selesai tanpa dialihkan ke "
            "petugas pusat kontak.",
            "Bank memilih menjalankan model di server sendiri, bukan melalui layanan luar "
            "negeri, dengan alasan kerahasiaan data nasabah. Setiap jawaban yang menyangkut "
            "transaksi harus melewati lapisan aturan yang memeriksa angka dengan sistem inti "
            "perbankan sebelum dikirim.",
            "Meski begitu, sejumlah nasabah lanjut usia mengeluhkan sulitnya menghubungi petugas "
            'manusia. Andi menyatakan bank akan menambahkan pilihan "bicara dengan petugas" '
            "di setiap pesan dan tidak akan mengurangi jumlah karyawan pusat kontak tahun ini.",
            "Otoritas Jasa Keuangan sebelumnya meminta lembaga keuangan yang memakai kecerdasan "
            "buatan untuk memastikan ada mekanisme pengaduan dan penjelasan atas keputusan "
            "otomatis, terutama yang berkaitan dengan persetujuan kredit.",
        ),
    ),
    Story(
        slug="pemerintah-siapkan-sandbox-regulasi-kecerdasan-buatan",
        title="Pemerintah Siapkan Sandbox Regulasi untuk Layanan Kecerdasan Buatan",
        authors=("Rina Kusumawardani",),
        published="2025-03-14T10:00:00+07:00",
        section="Regulasi",
        tags=("Regulasi", "Kebijakan", "Etika AI"),
        dek="Skema uji coba terbatas itu akan dibuka untuk layanan AI di sektor kesehatan, "
        "keuangan, dan pendidikan.",
        paragraphs=(
            "Jakarta – Pemerintah tengah menyiapkan skema sandbox regulasi bagi perusahaan yang "
            "ingin menguji layanan kecerdasan buatan berisiko tinggi sebelum diluncurkan ke "
            "publik. Rancangan pedomannya dibuka untuk konsultasi publik hingga akhir April.",
            "Dalam rancangan tersebut, layanan AI di sektor kesehatan, keuangan, dan pendidikan "
            "dapat diuji pada kelompok pengguna terbatas selama enam sampai dua belas bulan. "
            "Peserta wajib melaporkan insiden, termasuk jawaban keliru yang berpotensi merugikan "
            "pengguna, paling lambat tiga hari setelah diketahui.",
            "Direktur Tata Kelola Teknologi Digital, Larasati Putri, menjelaskan pendekatan ini "
            'dipilih agar aturan tidak menghambat inovasi. "Kami ingin belajar dari data nyata '
            'sebelum menetapkan kewajiban yang mengikat," katanya dalam diskusi di Jakarta.',
            "Asosiasi perusahaan rintisan menyambut baik rencana itu, tetapi meminta kejelasan "
            "soal perlindungan data pribadi selama masa uji. Mereka juga berharap proses "
            "pendaftaran tidak memakan waktu lebih dari satu bulan.",
            "Lembaga swadaya masyarakat di bidang hak digital menilai sandbox perlu disertai "
            "pengawasan independen. Tanpa itu, menurut mereka, pengguna yang menjadi peserta uji "
            "coba berisiko menanggung kesalahan sistem tanpa kompensasi.",
        ),
    ),
    Story(
        slug="aplikasi-tanilihat-deteksi-hama-padi-dengan-kamera-ponsel",
        title="Aplikasi TaniLihat Deteksi Hama Padi dengan Kamera Ponsel",
        authors=("Yoga Pratama",),
        published="2025-04-02T07:30:00+07:00",
        section="Aplikasi",
        tags=("Pertanian", "Visi Komputer", "Aplikasi"),
        dek="Model visi komputer yang berjalan tanpa internet itu dipakai lebih dari 40 ribu "
        "petani di Jawa Tengah.",
        paragraphs=(
            "Klaten – Aplikasi TaniLihat kini dipakai lebih dari 40 ribu petani di Jawa Tengah "
            "untuk mengenali serangan hama dan penyakit padi. Petani cukup memotret daun atau "
            "batang tanaman, lalu aplikasi menampilkan dugaan penyebab beserta saran penanganan.",
            "Pengembang aplikasi, CV Sawah Digital, melatih model visi komputernya dengan lebih "
            "dari 260 ribu foto yang dikumpulkan bersama penyuluh pertanian. Model tersebut "
            "berukuran kecil sehingga bisa berjalan langsung di ponsel kelas menengah tanpa "
            "sambungan internet, kondisi yang umum di area persawahan.",
            "Ketua kelompok tani di Kecamatan Delanggu, Sutrisno, mengatakan aplikasi membantu "
            'membedakan penyakit blas dengan kekurangan unsur hara yang gejalanya mirip. "Dulu '
            'kami sering salah semprot, biayanya jadi besar," ujarnya.',
            "Dinas Pertanian setempat mencatat penggunaan pestisida di desa percontohan turun "
            "sekitar 18 persen dalam satu musim tanam. Pengembang berencana menambah deteksi "
            "untuk tanaman cabai dan bawang merah pada akhir tahun.",
        ),
    ),
    Story(
        slug="institut-teknologi-nusa-buka-magister-kecerdasan-buatan",
        title="Institut Teknologi Nusa Buka Magister Kecerdasan Buatan, Kuota 60 Mahasiswa",
        authors=("Dimas Aryo",),
        published="2025-04-22T13:15:00+07:00",
        section="Talenta",
        tags=("Pendidikan", "Talenta Digital"),
        dek="Program baru itu menggandeng industri untuk proyek riset dan menyediakan akses "
        "klaster GPU kampus.",
        paragraphs=(
            "Bandung – Institut Teknologi Nusa membuka program magister kecerdasan buatan mulai "
            "tahun ajaran baru dengan kuota 60 mahasiswa. Program ini lahir dari keluhan industri "
            "yang kesulitan merekrut insinyur pembelajaran mesin berpengalaman.",
            "Kurikulumnya mencakup pembelajaran mendalam, pemrosesan bahasa alami, visi "
            "komputer, serta etika dan tata kelola AI. Setiap mahasiswa wajib mengerjakan proyek "
            "riset bersama mitra industri selama dua semester.",
            "Kampus menyiapkan klaster berisi 64 GPU yang dapat dipakai bergantian oleh "
            "mahasiswa dan dosen. Menurut Dekan Sekolah Ilmu Komputasi, Prof. Bambang Haryadi, "
            "keterbatasan akses perangkat keras selama ini membuat riset AI di kampus tertinggal.",
            "Laporan sebuah lembaga riset ketenagakerjaan memperkirakan Indonesia membutuhkan "
            "sekitar 100 ribu talenta AI hingga 2030, sementara lulusan dengan keahlian relevan "
            "baru sekitar sepersepuluhnya per tahun.",
            "Biaya kuliah ditetapkan Rp28 juta per semester, dengan 15 kursi beasiswa penuh "
            "bagi pelamar dari luar Pulau Jawa.",
        ),
    ),
    Story(
        slug="rupa-data-raih-pendanaan-seri-a-anotasi-data",
        title="Rupa Data Raih Pendanaan Seri A US$18 Juta untuk Layanan Anotasi Data",
        authors=("Sari Melati",),
        published="2025-05-08T16:40:00+07:00",
        section="Startup",
        tags=("Pendanaan", "Startup", "Data"),
        dek="Startup asal Yogyakarta itu mempekerjakan lebih dari 3.000 anotator lepas di "
        "berbagai kota.",
        paragraphs=(
            "Yogyakarta – Rupa Data, perusahaan rintisan penyedia jasa pelabelan data untuk "
            "pelatihan model AI, meraih pendanaan Seri A senilai US$18 juta. Putaran ini "
            "dipimpin modal ventura regional Selat Capital dengan partisipasi dua investor "
            "sebelumnya.",
            "Rupa Data melayani klien dari Jepang, Korea Selatan, dan Eropa yang membutuhkan "
            "data berlabel untuk kendaraan otonom, pengenalan suara, dan penyaringan konten. "
            "Perusahaan mengklaim pendapatannya tumbuh tiga kali lipat dalam setahun terakhir.",
            "Pendiri sekaligus CEO Rupa Data, Nadia Putri, menyebut dana segar akan dipakai "
            'untuk membangun perangkat pelabelan semi-otomatis. "Model membuat label awal, '
            'manusia memeriksa dan memperbaiki. Produktivitas anotator bisa naik dua kali lipat," '
            "katanya.",
            "Perusahaan juga berjanji menaikkan standar upah anotator lepas di atas upah minimum "
            "kota tempat mereka bekerja, menyusul kritik terhadap industri anotasi global yang "
            "kerap membayar pekerja dengan sangat rendah.",
        ),
    ),
    Story(
        slug="waspada-penipuan-suara-kloning-menjelang-pilkada",
        title="Waspada Penipuan Suara Kloning, Kasus Meningkat Menjelang Pilkada",
        authors=("Dimas Aryo", "Rina Kusumawardani"),
        published="2025-06-11T19:05:00+07:00",
        modified="2025-06-12T08:30:00+07:00",
        section="Keamanan",
        tags=("Deepfake", "Keamanan Siber", "Penipuan"),
        dek="Pelaku meniru suara kerabat korban dari rekaman video singkat di media sosial.",
        paragraphs=(
            "Surabaya – Kepolisian Daerah Jawa Timur mencatat 37 laporan penipuan yang "
            "menggunakan suara tiruan berbasis AI sepanjang Mei, naik hampir tiga kali lipat "
            "dibanding bulan sebelumnya. Pelaku meniru suara anak atau kerabat korban lalu "
            "meminta transfer uang dengan alasan darurat.",
            "Menurut penyidik siber, rekaman berdurasi 20 detik dari video media sosial sudah "
            "cukup untuk membuat tiruan suara yang meyakinkan melalui layanan daring yang mudah "
            "diakses. Kerugian korban bervariasi dari Rp2 juta hingga Rp85 juta.",
            "Peneliti keamanan dari lembaga Siber Aman Indonesia, Fajar Nugroho, memperkirakan "
            "modus serupa akan dipakai untuk disinformasi politik menjelang pemilihan kepala "
            "daerah. Rekaman palsu calon kepala daerah bisa menyebar di grup percakapan sebelum "
            "sempat diklarifikasi.",
            "Ia menyarankan keluarga menyepakati kata sandi rahasia untuk situasi darurat dan "
            'selalu menelepon balik ke nomor yang sudah dikenal. "Jangan percaya hanya karena '
            'suaranya mirip. Teknologi ini sudah sangat murah," katanya.',
            "Penyelenggara pemilu menyatakan sedang menyusun pedoman bagi peserta untuk "
            "menandai konten kampanye yang dibuat atau diubah dengan kecerdasan buatan.",
        ),
    ),
    Story(
        slug="rumah-sakit-gunakan-ai-baca-rontgen-tuberkulosis",
        title="Rumah Sakit di NTT Gunakan AI untuk Membaca Rontgen Tuberkulosis",
        authors=("Maria Goreti Ola",),
        published="2025-07-01T11:25:00+08:00",
        section="Kesehatan",
        tags=("Kesehatan", "Radiologi", "Tuberkulosis"),
        dek="Perangkat lunak itu membantu puskesmas yang tidak memiliki dokter spesialis "
        "radiologi.",
        paragraphs=(
            "Kupang – Sebanyak 14 rumah sakit dan puskesmas di Nusa Tenggara Timur mulai "
            "memakai perangkat lunak kecerdasan buatan untuk membaca foto rontgen dada pasien "
            "terduga tuberkulosis. Sistem ini menandai gambar yang mencurigakan dalam hitungan "
            "detik untuk diperiksa lebih lanjut.",
            "Provinsi tersebut hanya memiliki segelintir dokter spesialis radiologi, sebagian "
            "besar di Kupang. Sebelumnya, hasil rontgen dari daerah terpencil bisa menunggu "
            "hingga seminggu sebelum dibaca, sehingga pengobatan pasien tertunda.",
            "Dalam evaluasi enam bulan, sistem dari perusahaan rintisan MedikaVisi itu "
            "mendeteksi 94 persen kasus yang kemudian terkonfirmasi lewat tes dahak. Tingkat "
            "temuan palsu masih cukup tinggi, tetapi dokter menilai hal itu lebih aman dibanding "
            "kasus yang terlewat.",
            "Kepala Dinas Kesehatan provinsi, dr. Yohanes Bria, menegaskan keputusan diagnosis "
            'tetap berada di tangan dokter. "Mesin ini penyaring awal, bukan pengganti tenaga '
            'medis," ujarnya.',
            "Program ini didanai hibah lembaga filantropi kesehatan internasional selama dua "
            "tahun. Pemerintah daerah sedang menghitung biaya untuk melanjutkannya setelah hibah "
            "berakhir.",
        ),
    ),
    Story(
        slug="komunitas-rilis-korpus-nusantara-40-miliar-token",
        title="Komunitas Riset Rilis Korpus Nusantara, Dataset Terbuka 40 Miliar Token",
        authors=("Bayu Prasetyo",),
        published="2025-08-05T15:00:00+07:00",
        section="Open Source",
        tags=("Open Source", "Dataset", "Riset"),
        dek="Dataset itu dilengkapi catatan asal-usul setiap dokumen dan mekanisme agar pemilik "
        "konten bisa meminta penghapusan.",
        paragraphs=(
            "Jakarta – Komunitas riset terbuka Nalar Bersama merilis Korpus Nusantara, kumpulan "
            "teks berbahasa Indonesia dan bahasa daerah sebesar 40 miliar token yang bisa dipakai "
            "siapa pun untuk melatih model bahasa. Dataset ini diklaim sebagai yang terbesar "
            "untuk bahasa-bahasa di Indonesia yang dirilis dengan lisensi terbuka.",
            "Berbeda dengan banyak dataset hasil penjelajahan web, setiap dokumen di Korpus "
            "Nusantara dilengkapi catatan sumber dan tanggal pengambilan. Pemilik situs dapat "
            "mengajukan penghapusan melalui formulir, dan permintaan yang dikabulkan akan "
            "tercermin pada rilis berikutnya.",
            "Koordinator proyek, Teguh Wibisono, mengatakan tim menghabiskan sebagian besar "
            "waktu untuk membersihkan data: membuang teks duplikat, iklan, serta potongan "
            'halaman yang tidak bermakna. "Data yang bersih lebih berharga daripada data yang '
            'banyak," katanya.',
            "Perdebatan soal model terbuka dan tertutup ikut memanas seiring rilis ini. "
            "Pendukung model tertutup berpendapat dataset terbuka bisa dipakai pihak yang tidak "
            "bertanggung jawab, sementara komunitas menilai keterbukaan justru memungkinkan audit "
            "atas bias dan kualitas data.",
        ),
    ),
    Story(
        slug="startup-lokal-sewa-gpu-luar-negeri-harga-naik",
        title="Startup Lokal Terpaksa Sewa GPU di Luar Negeri, Biaya Naik 30 Persen",
        authors=("Sari Melati",),
        published="2025-09-17T09:50:00+07:00",
        section="Infrastruktur",
        tags=("GPU", "Cloud", "Startup"),
        dek="Keterbatasan kapasitas akselerator di dalam negeri membuat data harus diproses di "
        "Singapura dan Tokyo.",
        paragraphs=(
            "Jakarta – Sejumlah perusahaan rintisan AI di Indonesia mengaku harus menyewa "
            "kapasitas GPU di pusat data Singapura dan Tokyo karena penyedia dalam negeri belum "
            "memiliki stok yang cukup. Biaya sewa per jam naik sekitar 30 persen dalam enam bulan "
            "terakhir.",
            "CTO perusahaan analitik suara Dengar.ai, Kevin Halim, mengatakan timnya harus "
            'memesan kapasitas tiga bulan di muka. "Kalau telat memesan, antreannya bisa '
            'sebulan. Proyek klien jadi mundur," ujarnya.',
            "Pemrosesan di luar negeri juga menimbulkan persoalan kepatuhan, terutama untuk "
            "klien perbankan dan kesehatan yang wajib menyimpan data di Indonesia. Beberapa "
            "startup memilih menyamarkan data lebih dahulu sebelum dikirim ke luar negeri.",
            "Asosiasi penyelenggara pusat data memperkirakan kapasitas GPU di dalam negeri akan "
            "bertambah signifikan pada 2026 seiring beroperasinya beberapa fasilitas baru, "
            "termasuk di Batam dan Cikarang.",
            "Sementara menunggu, sebagian pengembang beralih ke model yang lebih kecil dan teknik "
            "kuantisasi agar bisa berjalan di perangkat keras yang lebih murah.",
        ),
    ),
    Story(
        slug="umkm-pakai-ai-generatif-tulis-deskripsi-produk",
        title="UMKM Ramai Pakai AI Generatif untuk Menulis Deskripsi Produk",
        authors=("Yoga Pratama",),
        published="2025-10-28T12:00:00+07:00",
        section="Bisnis",
        tags=("UMKM", "E-commerce", "AI Generatif"),
        dek="Lokapasar Pasarku mencatat produk dengan deskripsi hasil AI lebih cepat lolos "
        "kurasi, tetapi ada keluhan soal klaim berlebihan.",
        paragraphs=(
            "Jakarta – Pelaku usaha mikro, kecil, dan menengah semakin banyak memakai fitur AI "
            "generatif untuk menulis deskripsi produk di lokapasar. Pasarku, salah satu "
            "lokapasar lokal, mencatat 1,2 juta deskripsi produk dibuat dengan bantuan fitur "
            "penulis otomatis sejak diluncurkan empat bulan lalu.",
            "Penjual cukup mengunggah foto dan beberapa kata kunci, lalu sistem menyusun judul, "
            "deskripsi, dan daftar spesifikasi. Menurut Pasarku, produk dengan deskripsi lengkap "
            "rata-rata lolos kurasi dua hari lebih cepat.",
            "Pemilik usaha kerajinan rotan di Cirebon, Wulan Sari, mengaku terbantu karena tidak "
            "perlu lagi menulis ratusan deskripsi satu per satu. Namun ia tetap memeriksa "
            "hasilnya. "
            '"Pernah ditulis tahan air, padahal tidak. Bisa jadi masalah kalau tidak dicek," '
            "katanya.",
            "Lembaga perlindungan konsumen mengingatkan bahwa penjual tetap bertanggung jawab atas "
            "klaim yang ditulis mesin. Pasarku menyatakan akan menambahkan peringatan agar "
            "penjual meninjau setiap klaim sebelum menerbitkan produk.",
        ),
    ),
)
