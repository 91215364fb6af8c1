"""What the demo is made of: its staff, product categories, suppliers (with the stage each reaches and the path
there), factory contacts with portal access, and the reasons given for each stage change."""

from accounts.roles import Role
from config.first_run import CATEGORIES as FIRST_RUN_CATEGORIES
from suppliers.models import Stage

STAFF = [
    ("buyer@forgeline.example", "Bea Buyer", Role.PROCUREMENT, "Europe/Berlin"),
    ("buyer2@forgeline.example", "Ben Sourcing", Role.PROCUREMENT, "America/Chicago"),
    ("qc@forgeline.example", "Quinn Quality", Role.QUALITY, "Asia/Shanghai"),
    ("manager@forgeline.example", "Mona Manager", Role.MANAGER, "Europe/Berlin"),
    ("admin@forgeline.example", "Adam Admin", Role.ADMIN, "UTC"),
]

# The product categories `manage.py setup` creates.
CATEGORIES = FIRST_RUN_CATEGORIES

# name, country, city, timezone, categories, target stage
SUPPLIERS = [
    ("Shenzhen Brightway Electronics", "CN", "Shenzhen", "Asia/Shanghai", ["Electronics"], Stage.STRATEGIC),
    ("Ningbo Harbor Plastics", "CN", "Ningbo", "Asia/Shanghai", ["Plastics", "Packaging"], Stage.APPROVED),
    ("Dongguan Evergreen Furniture", "CN", "Dongguan", "Asia/Shanghai", ["Furniture"], Stage.APPROVED),
    ("Suzhou Silk Road Textiles", "CN", "Suzhou", "Asia/Shanghai", ["Home textiles"], Stage.PILOT),
    ("Xiamen Coastal Footwear", "CN", "Xiamen", "Asia/Shanghai", ["Footwear"], Stage.ON_HOLD),
    ("Yiwu Bright Packaging", "CN", "Yiwu", "Asia/Shanghai", ["Packaging"], Stage.VETTING),
    ("Qingdao Ironworks", "CN", "Qingdao", "Asia/Shanghai", ["Metal parts"], Stage.SUSPENDED),
    (
        "Saigon Garment Joint Stock",
        "VN",
        "Ho Chi Minh City",
        "Asia/Ho_Chi_Minh",
        ["Apparel"],
        Stage.STRATEGIC,
    ),
    ("Hanoi Lotus Apparel", "VN", "Hanoi", "Asia/Ho_Chi_Minh", ["Apparel"], Stage.APPROVED),
    ("Da Nang Timber Craft", "VN", "Da Nang", "Asia/Ho_Chi_Minh", ["Furniture"], Stage.PILOT),
    ("Binh Duong Shoes", "VN", "Thu Dau Mot", "Asia/Ho_Chi_Minh", ["Footwear"], Stage.VETTING),
    ("Haiphong Electronics Assembly", "VN", "Haiphong", "Asia/Ho_Chi_Minh", ["Electronics"], Stage.PROSPECT),
    ("Dhaka Knit Composite", "BD", "Gazipur", "Asia/Dhaka", ["Apparel"], Stage.APPROVED),
    ("Chittagong Denim Mills", "BD", "Chattogram", "Asia/Dhaka", ["Apparel"], Stage.VETTING),
    ("Narayanganj Home Linen", "BD", "Narayanganj", "Asia/Dhaka", ["Home textiles"], Stage.PROSPECT),
    ("Tiruppur Cotton Works", "IN", "Tiruppur", "Asia/Kolkata", ["Apparel", "Home textiles"], Stage.APPROVED),
    ("Pune Precision Castings", "IN", "Pune", "Asia/Kolkata", ["Metal parts"], Stage.PILOT),
    ("Chennai Leather Exports", "IN", "Chennai", "Asia/Kolkata", ["Footwear"], Stage.OFFBOARDED),
    ("Jaipur Handloom House", "IN", "Jaipur", "Asia/Kolkata", ["Home textiles"], Stage.PROSPECT),
    ("Bursa Tekstil", "TR", "Bursa", "Europe/Istanbul", ["Home textiles"], Stage.APPROVED),
    ("Izmir Denim Atelier", "TR", "Izmir", "Europe/Istanbul", ["Apparel"], Stage.VETTING),
    ("Istanbul Metal Form", "TR", "Istanbul", "Europe/Istanbul", ["Metal parts"], Stage.PROSPECT),
    ("Porto Calçado", "PT", "Felgueiras", "Europe/Lisbon", ["Footwear"], Stage.STRATEGIC),
    ("Guimarães Têxtil Lar", "PT", "Guimarães", "Europe/Lisbon", ["Home textiles"], Stage.APPROVED),
    ("Aveiro Cork & Wood", "PT", "Aveiro", "Europe/Lisbon", ["Furniture", "Packaging"], Stage.PILOT),
    ("Monterrey Metalurgia", "MX", "Monterrey", "America/Monterrey", ["Metal parts"], Stage.APPROVED),
    ("Tijuana Electrónica", "MX", "Tijuana", "America/Tijuana", ["Electronics"], Stage.VETTING),
    ("León Calzado Fino", "MX", "León", "America/Mexico_City", ["Footwear"], Stage.PROSPECT),
    ("Puebla Empaques", "MX", "Puebla", "America/Mexico_City", ["Packaging"], Stage.ON_HOLD),
    ("Guadalajara Muebles", "MX", "Guadalajara", "America/Mexico_City", ["Furniture"], Stage.PROSPECT),
]

PORTAL_USERS = [
    ("factory@brightway.example", "Li Wei", "Shenzhen Brightway Electronics", "zh-hans", "Asia/Shanghai"),
    (
        "factory@saigongarment.example",
        "Nguyen Thi Lan",
        "Saigon Garment Joint Stock",
        "vi",
        "Asia/Ho_Chi_Minh",
    ),
    ("factory@portocalcado.example", "João Silva", "Porto Calçado", "en", "Europe/Lisbon"),
]

# The path a supplier takes to reach each stage (every move goes through the stage service).
PATHS = {
    Stage.PROSPECT: [],
    Stage.VETTING: [Stage.VETTING],
    Stage.PILOT: [Stage.VETTING, Stage.PILOT],
    Stage.APPROVED: [Stage.VETTING, Stage.PILOT, Stage.APPROVED],
    Stage.STRATEGIC: [Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC],
    Stage.ON_HOLD: [Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.ON_HOLD],
    Stage.SUSPENDED: [Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.SUSPENDED],
    Stage.OFFBOARDED: [Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.OFFBOARDED],
}

# Suppliers in the pilot stage with a pilot programme running.
RUNNING_PILOTS = {"Suzhou Silk Road Textiles"}

# Their only reference was mixed: the manager approved them with a recorded waiver.
MIXED_REFERENCES = {"Hanoi Lotus Apparel", "Da Nang Timber Craft"}

WAIVER_REASON = "Only reference was mixed; approved on the strength of the sample review and factory visit."

REASONS = {
    Stage.VETTING: "Samples looked promising; start checking certificates, references and capacity.",
    Stage.PILOT: "Vetting done; place trial orders before volume.",
    Stage.APPROVED: "Pilot orders on time and within defect target.",
    Stage.STRATEGIC: "Two years of reliable delivery; long-term contract signed.",
    Stage.ON_HOLD: "Repeated late deliveries; no new orders until the recovery plan is agreed.",
    Stage.SUSPENDED: "Critical audit finding on fire safety; suspended until verified closed.",
    Stage.OFFBOARDED: "Category moved to another supplier.",
}
