"""A small licensing set in the import formats, on top of register_files' register."""

from __future__ import annotations

LICENSING = """\
licensees:
  - {id: acme, name: Acme Devices Ltd., group: acme, country: US, member: false, signed: 2026-01-15, good_standing: true}
  - {id: beta, name: Beta Electronics, country: DE, good_standing: false}
programs:
  - id: demo-v1
    standard: IGRS
    versions: ["1.0"]
    currency: USD
    admin_fee: "10%"
    counts: essential
    policy: proportional
    schedules:
      - effective_from: 2025-01-01
        categories:
          tv:    {per_unit: "0.50"}
          phone: {percent: "0.5", base_floor: "50", base_cap: "200"}
        regions:
          - {id: region-2, countries: [IN, BR], multiplier: "0.5"}
        discounts: {good_standing: "10%", member: "100%"}
"""
SALES_HEADER = "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
SALES = """\
acme,2025Q4,US,CN,tv,1000,
acme,2025Q4,BR,CN,tv,1000,
beta,2025Q4,DE,DE,phone,10,1000.00
beta,2025Q4,VN,VN,tv,500,
"""
PAYMENTS = "licensee,period,amount,received\nacme,2025Q4,675.00,2026-01-20\n"
