"""A JP PINT standard invoice with any number of lines, for benchmarks.

Written from scratch (fictional parties), with 10 % and 8 % (reduced) lines
alternating and every total computed, so that the document is valid and
the benchmark measures the normal path, not error reporting.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from lxml import etree

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NSMAP = {None: INVOICE, "cac": CAC, "cbc": CBC}


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    prefix, local = tag.split(":")
    element = etree.SubElement(parent, f"{{{CAC if prefix == 'cac' else CBC}}}{local}", attributes)
    if text is not None:
        element.text = text
    return element


def _party(parent: etree._Element, role: str, endpoint: str, name: str, tax_id: str | None) -> None:
    party = _add(_add(parent, role), "cac:Party")
    _add(party, "cbc:EndpointID", endpoint, schemeID="0188")
    address = _add(party, "cac:PostalAddress")
    _add(address, "cbc:StreetName", "1-2-3 Example-cho")
    _add(address, "cbc:CityName", "Chiyoda-ku")
    _add(address, "cbc:PostalZone", "100-0001")
    _add(_add(address, "cac:Country"), "cbc:IdentificationCode", "JP")
    if tax_id:
        scheme = _add(party, "cac:PartyTaxScheme")
        _add(scheme, "cbc:CompanyID", tax_id)
        _add(_add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    _add(_add(party, "cac:PartyLegalEntity"), "cbc:RegistrationName", name)


def _category(parent: etree._Element, tag: str, code: str, rate: int) -> None:
    category = _add(parent, tag)
    _add(category, "cbc:ID", code)
    _add(category, "cbc:Percent", str(rate))
    _add(_add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def synthetic_invoice(lines: int) -> bytes:
    """Serialised invoice with `lines` invoice lines, valid under JP PINT 1.1.3."""
    root = etree.Element(f"{{{INVOICE}}}Invoice", nsmap=NSMAP)
    _add(root, "cbc:CustomizationID", "urn:peppol:pint:billing-1@jp-1")
    _add(root, "cbc:ProfileID", "urn:peppol:bis:billing")
    _add(root, "cbc:ID", f"BENCH-{lines}")
    _add(root, "cbc:IssueDate", "2026-11-30")
    _add(root, "cbc:InvoiceTypeCode", "380")
    _add(root, "cbc:DocumentCurrencyCode", "JPY")
    period = _add(root, "cac:InvoicePeriod")
    _add(period, "cbc:StartDate", "2026-11-01")
    _add(period, "cbc:EndDate", "2026-11-30")
    _party(root, "cac:AccountingSupplierParty", "4000000000001", "Benchmark Trading K.K.", "T4000000000001")
    _party(root, "cac:AccountingCustomerParty", "5000000000002", "Sample Retail Co., Ltd.", None)

    rates = {"S": 10, "AA": 8}
    taxable = {"S": Decimal(0), "AA": Decimal(0)}
    line_elements = []
    for number in range(1, lines + 1):
        code = "S" if number % 2 else "AA"
        quantity = 1 + number % 7
        price = Decimal(100 + (number * 37) % 900)
        amount = price * quantity
        taxable[code] += amount
        line = etree.Element(f"{{{CAC}}}InvoiceLine")
        _add(line, "cbc:ID", str(number))
        _add(line, "cbc:InvoicedQuantity", str(quantity), unitCode="H87")
        _add(line, "cbc:LineExtensionAmount", str(amount), currencyID="JPY")
        item = _add(line, "cac:Item")
        _add(item, "cbc:Name", f"Item {number}")
        _category(item, "cac:ClassifiedTaxCategory", code, rates[code])
        price_element = _add(line, "cac:Price")
        _add(price_element, "cbc:PriceAmount", str(price), currencyID="JPY")
        _add(price_element, "cbc:BaseQuantity", "1", unitCode="H87")
        line_elements.append(line)

    tax = {code: (taxable[code] * rates[code] / 100).to_integral_value(ROUND_FLOOR) for code in rates}
    tax_total = _add(root, "cac:TaxTotal")
    _add(tax_total, "cbc:TaxAmount", str(sum(tax.values())), currencyID="JPY")
    for code in rates:
        if taxable[code]:
            subtotal = _add(tax_total, "cac:TaxSubtotal")
            _add(subtotal, "cbc:TaxableAmount", str(taxable[code]), currencyID="JPY")
            _add(subtotal, "cbc:TaxAmount", str(tax[code]), currencyID="JPY")
            _category(subtotal, "cac:TaxCategory", code, rates[code])
    net = sum(taxable.values())
    gross = net + sum(tax.values())
    totals = _add(root, "cac:LegalMonetaryTotal")
    _add(totals, "cbc:LineExtensionAmount", str(net), currencyID="JPY")
    _add(totals, "cbc:TaxExclusiveAmount", str(net), currencyID="JPY")
    _add(totals, "cbc:TaxInclusiveAmount", str(gross), currencyID="JPY")
    _add(totals, "cbc:PayableAmount", str(gross), currencyID="JPY")
    root.extend(line_elements)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
