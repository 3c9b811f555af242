"""Fixtures for information models: the real models read once per session, small hand-made XMI."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodeks.domain.models.model import InfoModel
from tests.conftest import data_file

INFOMODELS = "infomodels"
FINT = f"{INFOMODELS}/fint_informasjonsmodell_ea_xmi21.xml"
NEMKONTO = f"{INFOMODELS}/digst_nemkontoregisteret_fdaprofil_ea.xmi.xml"
DATAQUALITY = f"{INFOMODELS}/digst_core_dataquality_dimensions_fdaprofil_ea.xmi.xml"
PROFILE = f"{INFOMODELS}/digst_fdaprofile_xmi_uml.xml"
REAL_XMI = (FINT, NEMKONTO, DATAQUALITY, PROFILE)

_CACHE: dict[str, InfoModel] = {}


def real_model(relative: str) -> InfoModel:
    """A real model file read once per session (FINT takes about a second)."""
    from kodeks.formats.models_xmi import read_xmi

    path = data_file(relative)
    if relative not in _CACHE:
        _CACHE[relative] = read_xmi(path.read_bytes(), path.name)
    return _CACHE[relative]


@pytest.fixture
def real_path() -> type[Path]:
    return Path


#: A small model in XMI 2.1 as EA writes it (hand-written for the tests, modelled on the FINT file).
SMALL_XMI = b"""<?xml version="1.0" encoding="windows-1252"?>
<xmi:XMI xmi:version="2.1" xmlns:uml="http://schema.omg.org/spec/UML/2.1"
  xmlns:xmi="http://schema.omg.org/spec/XMI/2.1">
  <uml:Model xmi:type="uml:Model" name="EA_Model">
    <packagedElement xmi:type="uml:Package" xmi:id="EAPK_1" name="Sag">
      <packagedElement xmi:type="uml:Class" xmi:id="EAID_C1" name="Sag">
        <ownedAttribute xmi:type="uml:Property" xmi:id="EAID_A1" name="titel">
          <lowerValue xmi:type="uml:LiteralInteger" xmi:id="EAID_L1" value="1"/>
          <upperValue xmi:type="uml:LiteralUnlimitedNatural" xmi:id="EAID_U1" value="1"/>
          <type xmi:idref="EAJava_String"/>
        </ownedAttribute>
        <ownedAttribute xmi:type="uml:Property" xmi:id="EAID_A2" name="emne">
          <lowerValue xmi:type="uml:LiteralInteger" xmi:id="EAID_L2" value="0"/>
          <upperValue xmi:type="uml:LiteralUnlimitedNatural" xmi:id="EAID_U2" value="*"/>
          <type xmi:idref="EAID_E1"/>
        </ownedAttribute>
        <ownedAttribute xmi:type="uml:Property" xmi:id="EAID_dst1" name="part" association="EAID_AS1">
          <type xmi:idref="EAID_C2"/>
          <lowerValue xmi:type="uml:LiteralInteger" xmi:id="EAID_L3" value="0"/>
          <upperValue xmi:type="uml:LiteralUnlimitedNatural" xmi:id="EAID_U3" value="*"/>
        </ownedAttribute>
      </packagedElement>
      <packagedElement xmi:type="uml:Class" xmi:id="EAID_C2" name="Part">
        <generalization xmi:type="uml:Generalization" xmi:id="EAID_G1" general="EAID_C3"/>
      </packagedElement>
      <packagedElement xmi:type="uml:Class" xmi:id="EAID_C3" name="Aktoer" isAbstract="true"/>
      <packagedElement xmi:type="uml:Enumeration" xmi:id="EAID_E1" name="EmneVaerdi">
        <ownedLiteral xmi:type="uml:EnumerationLiteral" xmi:id="EAID_EL1" name="00.01"/>
        <ownedLiteral xmi:type="uml:EnumerationLiteral" xmi:id="EAID_EL2" name="00.03"/>
      </packagedElement>
      <packagedElement xmi:type="uml:Association" xmi:id="EAID_AS1" name="harPart">
        <memberEnd xmi:idref="EAID_dst1"/>
        <memberEnd xmi:idref="EAID_src1"/>
        <ownedEnd xmi:type="uml:Property" xmi:id="EAID_src1" association="EAID_AS1">
          <type xmi:idref="EAID_C1"/>
        </ownedEnd>
      </packagedElement>
      <packagedElement xmi:type="uml:Note" xmi:id="EAID_N1" name="noget EA selv ved"/>
    </packagedElement>
  </uml:Model>
  <xmi:Extension extender="Enterprise Architect" extenderID="6.5">
    <elements>
      <element xmi:idref="EAID_C1" xmi:type="uml:Class" name="Sag">
        <properties documentation="En sag om noget" stereotype="DKObjekttype" alias="sag"/>
        <tags>
          <tag xmi:id="EAID_T1" name="URI" value="https://data.gov.dk/model/sag#Sag" modelElement="EAID_C1"/>
        </tags>
        <attributes>
          <attribute xmi:idref="EAID_A1" name="titel">
            <documentation value="Sagens titel"/>
            <properties type="String"/>
            <stereotype stereotype="DKEgenskab"/>
          </attribute>
        </attributes>
      </element>
      <element xmi:idref="EAPK_1" xmi:type="uml:Package" name="Sag">
        <properties stereotype="InformationModel"/>
        <project version="1.2.0"/>
        <unknownThing foo="bar"/>
      </element>
    </elements>
  </xmi:Extension>
</xmi:XMI>
"""
